namespace GitOps.Core.Apply;

/// <summary>How one planned change ended.</summary>
public enum ResourceOutcome
{
    /// <summary>The write (or detach) completed.</summary>
    Succeeded,

    /// <summary>ARM refused or the operation failed; the error is recorded.</summary>
    Failed,

    /// <summary>Not attempted, because a dependency failed or was skipped, or the run was cancelled.</summary>
    Skipped,
}
