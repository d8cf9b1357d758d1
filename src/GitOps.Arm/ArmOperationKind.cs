namespace GitOps.Arm;

/// <summary>The operation types ARM throttles separately, each with its own token bucket per subscription.</summary>
public enum ArmOperationKind
{
    /// <summary>GET (including polling an asynchronous operation).</summary>
    Read,

    /// <summary>PUT, PATCH, POST.</summary>
    Write,

    /// <summary>DELETE.</summary>
    Delete,
}
