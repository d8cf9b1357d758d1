namespace GitOps.Hosting.Settings;

/// <summary>
/// The job queue's name, one constant for the Functions app's <c>[QueueTrigger]</c> attributes (which need a
/// compile-time value) and the queue the handlers send to (<see cref="GitOpsSettings.QueueName"/>'s default).
/// </summary>
public static class QueueNames
{
    /// <summary>The reconcile queue: reconcile jobs and push jobs.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>Where the host (and <c>gitops serve</c>'s listener) moves a job that failed on every delivery.</summary>
    public const string Poison = Reconcile + "-poison";

    /// <summary>The queue the Event Grid subscription delivers ARM events to (infra/footprint/events.yaml).</summary>
    public const string Events = "arm-events";

    /// <summary>Where refused events are recorded (by the handler, with the reason) and where the host moves events that failed on every delivery.</summary>
    public const string EventsPoison = Events + "-poison";
}
