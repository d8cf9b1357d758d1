namespace GitOps.Hosting.Settings;

/// <summary>
/// The queues' names, constants for the Functions app's <c>[QueueTrigger]</c> attributes (which need a compile-time
/// value) and the queues the handlers send to (<see cref="GitOpsSettings.QueueName"/>'s default and the drift queue
/// that follows it).
/// </summary>
public static class QueueNames
{
    /// <summary>The reconcile queue: reconcile jobs and push jobs.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>Where the host (and <c>gitops serve</c>'s listener) moves a job that failed on every delivery.</summary>
    public const string Poison = Reconcile + "-poison";

    /// <summary>
    /// The drift queue: drift checks (from the timer and from ARM events) wait here, with worker slots of their own, so
    /// that a sweep of many environments never holds the slot a push is waiting for. The storage's default
    /// (<c>GitOpsStorageOptions.EffectiveDriftQueueName</c>: the reconcile queue's name plus <c>-drift</c>).
    /// </summary>
    public const string Drift = Reconcile + "-drift";

    /// <summary>Where a drift job that failed on every delivery is moved.</summary>
    public const string DriftPoison = Drift + "-poison";

    /// <summary>The queue the Event Grid subscription delivers ARM events to (infra/footprint/events.yaml).</summary>
    public const string Events = "arm-events";

    /// <summary>Where refused events are recorded (by the handler, with the reason) and where the host moves events that failed on every delivery.</summary>
    public const string EventsPoison = Events + "-poison";
}
