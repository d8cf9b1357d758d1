namespace GitOps.Core.Runs;

/// <summary>What started a reconcile job. The names are the ones in the job message.</summary>
public enum RunTrigger
{
    /// <summary>A git push delivered by a webhook.</summary>
    Push,

    /// <summary>The drift timer: re-check Azure against the applied commit.</summary>
    Drift,

    /// <summary>A person: <c>gitops sync</c> or the api.</summary>
    Manual,

    /// <summary>A job re-sent by the reconciler itself (e.g. after waiting for another worker's lease).</summary>
    Retry,

    /// <summary><c>gitops rollback</c>: apply an earlier commit and hold newer ones.</summary>
    Rollback,

    /// <summary>
    /// A pull request's preview: the plan of its head against live state, for the comment and status on the pull
    /// request. Never writes to ARM, never reads Key Vault, never changes the environment's state.
    /// </summary>
    Preview,
}
