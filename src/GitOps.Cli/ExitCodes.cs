namespace GitOps.Cli;

/// <summary>The documented exit codes of <c>gitops</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success; for <c>plan</c>: no changes.</summary>
    public const int Success = 0;

    /// <summary>Invalid input, a failed apply, or any other error.</summary>
    public const int Error = 1;

    /// <summary><c>plan</c>: changes are pending.</summary>
    public const int ChangesPending = 2;

    /// <summary><c>webhook inspect</c>: the delivery failed authentication.</summary>
    public const int NotAuthentic = 3;
}
