namespace GitOps.ArmSimulator;

/// <summary>The throttling class of a request: ARM keeps one token bucket per subscription and kind.</summary>
public enum ArmOperationKind
{
    /// <summary>GET and HEAD, including polls of operation status URLs.</summary>
    Read,

    /// <summary>PUT, PATCH and POST.</summary>
    Write,

    /// <summary>DELETE.</summary>
    Delete,
}
