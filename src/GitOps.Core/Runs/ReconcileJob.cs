namespace GitOps.Core.Runs;

/// <summary>
/// A reconcile job: the queue message contract (JSON, Base64-encoded on the queue, see <see cref="ReconcileJobJson"/>).
/// </summary>
public sealed record ReconcileJob
{
    /// <summary>A unique id for this job.</summary>
    public required string JobId { get; init; }

    /// <summary>The configured repository name (credentials and URL come from settings, never from the message).</summary>
    public required string Repository { get; init; }

    /// <summary>The environment name in that repository's <c>gitops.yaml</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The commit to reconcile, or null for the branch tip.</summary>
    public string? Commit { get; init; }

    /// <summary>What started the job.</summary>
    public required RunTrigger Trigger { get; init; }

    /// <summary>The webhook delivery id, for push jobs.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>Who asked, for manual jobs and rollbacks (recorded in the run).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// How many times the job was re-enqueued because ARM throttled its run (or asked for time with <c>Retry-After</c>).
    /// The queue counts deliveries per message, so these waits never add up to the poison limit.
    /// </summary>
    public int ThrottledRetries { get; init; }

    /// <summary>When ARM first throttled a run of this job (null: never); the wait budget is counted from here.</summary>
    public DateTimeOffset? ThrottledSince { get; init; }

    /// <summary>
    /// The reason given to run a manual or rollback job outside its sync windows (<c>--override-window --reason</c>).
    /// Only a request: any queue writer can set it, so a used override is recorded with the requester and alerts.
    /// </summary>
    public string? WindowOverrideReason { get; init; }

    /// <summary>
    /// For a follow-up job: the run it continues (a run whose time budget was spent checkpoints and queues one); null for
    /// every other job. Only a request, like every job field: the run's checkpoint decides whether it may continue.
    /// </summary>
    public string? ContinuesRun { get; init; }

    /// <summary>
    /// For a follow-up job: the ticket of the segment it may run (2 for the run's second segment, and so on); the
    /// checkpoint names the one ticket that may run next, so a stale or duplicate follow-up does nothing. 0 otherwise.
    /// </summary>
    public int Segment { get; init; }

    /// <summary>
    /// What the run covers: the whole environment (default), or, for drift jobs made by the event handler, only the
    /// resources named by the ARM events in the environment's change inbox. Only a request, like the rest of the job.
    /// </summary>
    public JobScope Scope { get; init; }

    /// <summary>The key of the environment: <c>repository/environment</c>.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);

    /// <summary>A new job with a fresh id: the one way every trigger (webhook fan-out, drift timer, api, CLI) makes one.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="trigger">What starts it.</param>
    /// <param name="commit">The commit to reconcile, or null for the branch tip.</param>
    /// <param name="enqueuedAt">Now, from the caller's clock.</param>
    /// <param name="requestedBy">Who asked (the authenticated caller, or the pusher).</param>
    /// <param name="deliveryId">The webhook delivery, for push jobs.</param>
    public static ReconcileJob Create(string repository, string environment, RunTrigger trigger, string? commit, DateTimeOffset enqueuedAt, string? requestedBy = null, string? deliveryId = null) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = repository,
        Environment = environment,
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = enqueuedAt,
        RequestedBy = requestedBy,
        DeliveryId = deliveryId,
    };
}
