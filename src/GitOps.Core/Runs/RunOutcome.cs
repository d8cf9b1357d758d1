namespace GitOps.Core.Runs;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Changes were written and all succeeded.</summary>
    Applied,

    /// <summary>Azure already matched git; nothing was written.</summary>
    NoChanges,

    /// <summary>Drift mode <c>detect</c> (or <c>observe</c> resources) found differences; nothing was written.</summary>
    DriftDetected,

    /// <summary>Some changes failed or could not be attempted; see the results and errors.</summary>
    Failed,

    /// <summary>The manifests are invalid; nothing was planned. Not retried: a new commit must fix them.</summary>
    Invalid,

    /// <summary>A policy rule with severity deny matched; nothing was written.</summary>
    PolicyDenied,

    /// <summary>The job's commit is older than the one already applied; nothing to do.</summary>
    Superseded,

    /// <summary>The environment is suspended; drift was observed and recorded, nothing was written.</summary>
    Suspended,

    /// <summary>
    /// Not a reconcile: the record of a resume through the api or <c>gitops resume</c> (who and when); the reconcile it
    /// enqueued is recorded as its own run.
    /// </summary>
    Resumed,

    /// <summary>
    /// The job's commit is not reachable from the tip of the environment's branch (as <c>gitops.yaml</c> on the default
    /// branch declares it), so it was not applied: nothing was observed or written. Raises an alert every time.
    /// </summary>
    Refused,

    /// <summary>
    /// The run is under way: the record is written when a run starts, so an attempt that dies (killed worker, host
    /// timeout) is visible. A later run of the environment turns a stale one into <see cref="Interrupted"/>.
    /// </summary>
    Running,

    /// <summary>The worker stopped during this run (killed, timed out, or frozen past its lease); a later run took over.</summary>
    Interrupted,

    /// <summary>
    /// Outside the environment's sync windows: nothing was observed or written, and the job waits on the queue until
    /// the window opens (it checks again then). Not a failure.
    /// </summary>
    Deferred,

    /// <summary>
    /// Changes were written (or none were needed) but some resources are not healthy: <c>provisioningState</c> is not
    /// <c>Succeeded</c> or a <c>reconcile.health</c> assertion does not hold. Their dependents were not written; see
    /// <see cref="RunRecord.Health"/>.
    /// </summary>
    Unhealthy,

    /// <summary>
    /// A pull request's preview that found the head valid and within policy and planned it: the plan says what merging
    /// would change (see <see cref="RunTrigger.Preview"/>). Nothing was written.
    /// </summary>
    Previewed,
}

/// <summary>Helpers on <see cref="RunOutcome"/>.</summary>
public static class RunOutcomeExtensions
{
    /// <summary>True when the run means the environment is not where git says and a person should look.</summary>
    public static bool IsProblem(this RunOutcome outcome) =>
        outcome is RunOutcome.Failed or RunOutcome.Invalid or RunOutcome.PolicyDenied or RunOutcome.Refused or RunOutcome.Interrupted or RunOutcome.Unhealthy;
}
