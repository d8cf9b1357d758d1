using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Emergency suspend and resume of an environment, and manual sync, shared by the api and <c>gitops suspend|resume|sync</c>:
/// writes <see cref="EnvironmentState.Suspension"/> through the ETag-guarded state store and records each action as a
/// run record, so the environment's history shows who suspended or resumed it, why and when.
/// </summary>
/// <remarks>
/// <c>by</c> is always the authenticated caller as the host established it (an API key name, the Functions key, an
/// Entra ID principal, <c>cli:&lt;user&gt;</c>), never text from a request body; free text from the caller goes in
/// <c>note</c>, recorded beside it.
/// </remarks>
public sealed class EnvironmentControl(IEnvironmentStateStore states, IRunStore runs, IJobQueue queue, TimeProvider? timeProvider = null)
{
    /// <summary>
    /// The most characters of a reason or a note. A suspension's reason is copied into every run while it lasts, so
    /// its size is bounded wherever it comes from (the api answers 400 before it gets here; the CLI gets this error).
    /// </summary>
    public const int MaxTextLength = 1000;

    // Suspend and resume race only with runs recording their state (which also retry); a few attempts always settle.
    private const int StateWriteAttempts = 5;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Suspends an environment: runs keep observing and recording drift, but nothing is written until resumed.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="reason">Why (required: it is what the next person reads).</param>
    /// <param name="by">Who.</param>
    /// <param name="until">When the suspension lapses by itself, or null for until resumed.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="note">Free text from the caller, recorded in the summary beside <paramref name="by"/>; or null.</param>
    /// <returns>The run record of the suspension.</returns>
    /// <exception cref="ArgumentException">No reason, a reason or note over <see cref="MaxTextLength"/> characters, or an <paramref name="until"/> that is not in the future.</exception>
    public async Task<RunRecord> SuspendAsync(string repository, string environment, string reason, string by, DateTimeOffset? until, CancellationToken cancellationToken = default, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A suspension needs a reason: say why, so the next person knows when it is safe to resume.", nameof(reason));
        }

        CheckLength(reason, nameof(reason));
        CheckLength(note, nameof(note));
        var now = _time.GetUtcNow();
        if (until is { } end && end <= now)
        {
            throw new ArgumentException($"'until' ({end:O}) is not in the future.", nameof(until));
        }

        var who = string.IsNullOrWhiteSpace(by) ? "unknown" : by.Trim();
        var suspension = new Suspension(reason.Trim(), who, now, until);
        await UpdateStateAsync(repository, environment, state => state with { Suspension = suspension }, cancellationToken).ConfigureAwait(false);

        var summary = $"Suspended by {who}{NoteText(note)}: {suspension.Reason}" + (until is { } u ? $" (until {u.UtcDateTime:yyyy-MM-dd HH:mm} UTC)." : " (until resumed).");
        var record = Record(repository, environment, now, who, RunOutcome.Suspended, summary);
        await runs.SaveAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Resumes an environment suspended through the api or the CLI, and enqueues a manual reconcile of its branch tip.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="by">Who.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="note">Free text from the caller, recorded in the summary beside <paramref name="by"/>; or null.</param>
    /// <returns>The run record of the resume and the enqueued job.</returns>
    public async Task<(RunRecord Record, ReconcileJob Job)> ResumeAsync(string repository, string environment, string by, CancellationToken cancellationToken = default, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        CheckLength(note, nameof(note));
        var who = string.IsNullOrWhiteSpace(by) ? "unknown" : by.Trim();
        Suspension? previous = null;
        await UpdateStateAsync(
            repository,
            environment,
            state =>
            {
                previous = state.Suspension;
                return state with { Suspension = null };
            },
            cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var job = await SyncAsync(repository, environment, who, cancellationToken).ConfigureAwait(false);

        var summary = previous is null
            ? $"Resumed by {who}{NoteText(note)} (it was not suspended through the api); reconcile job {job.JobId} enqueued."
            : $"Resumed by {who}{NoteText(note)} (suspended by {previous.By}: {previous.Reason}); reconcile job {job.JobId} enqueued.";
        var record = Record(repository, environment, now, who, RunOutcome.Resumed, summary) with { JobId = job.JobId };
        await runs.SaveAsync(record, cancellationToken).ConfigureAwait(false);
        return (record, job);
    }

    /// <summary>Enqueues a manual reconcile of the environment's branch tip.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="by">Who (recorded as the job's <see cref="ReconcileJob.RequestedBy"/>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="windowOverrideReason">Set to run even outside the environment's sync windows, and why (recorded, and alerted on when used).</param>
    /// <returns>The enqueued job.</returns>
    public async Task<ReconcileJob> SyncAsync(string repository, string environment, string by, CancellationToken cancellationToken = default, string? windowOverrideReason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        CheckLength(windowOverrideReason, "reason");
        var job = ReconcileJob.Create(repository, environment, RunTrigger.Manual, commit: null, _time.GetUtcNow(), string.IsNullOrWhiteSpace(by) ? "unknown" : by.Trim())
            with { WindowOverrideReason = string.IsNullOrWhiteSpace(windowOverrideReason) ? null : windowOverrideReason.Trim() };
        await queue.EnqueueAsync(job, cancellationToken: cancellationToken).ConfigureAwait(false);
        return job;
    }

    private static void CheckLength(string? text, string name)
    {
        if (text is { Length: > MaxTextLength })
        {
            throw new ArgumentException($"'{name}' is {text.Length} characters; the limit is {MaxTextLength}.", name);
        }
    }

    private static string NoteText(string? note) =>
        string.IsNullOrWhiteSpace(note) ? string.Empty : $" (note: {note.Trim()})";

    private Task UpdateStateAsync(string repository, string environment, Func<EnvironmentState, EnvironmentState> change, CancellationToken cancellationToken) =>
        states.UpdateAsync(repository, environment, change, StateWriteAttempts, cancellationToken: cancellationToken);

    private static RunRecord Record(string repository, string environment, DateTimeOffset now, string who, RunOutcome outcome, string summary) => new()
    {
        RunId = RunIds.New(now),
        Repository = repository,
        Environment = environment,
        Trigger = RunTrigger.Manual,
        RequestedBy = who,
        StartedAt = now,
        FinishedAt = now,
        Outcome = outcome,
        Summary = summary,
    };
}
