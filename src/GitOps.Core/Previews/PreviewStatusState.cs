namespace GitOps.Core.Previews;

/// <summary>The state of a <c>gitops/&lt;environment&gt;</c> status on a pull request.</summary>
public enum PreviewStatusState
{
    /// <summary>The preview is queued or running.</summary>
    Pending,

    /// <summary>Valid and within policy (whatever the plan changes).</summary>
    Success,

    /// <summary>Validation errors, policy denials, or a head the environment refuses.</summary>
    Failure,

    /// <summary>The preview could not be made (git or ARM failed); not a verdict on the change.</summary>
    Error,
}
