namespace GitOps.Core.Policy;

/// <summary>What a matching policy rule does.</summary>
public enum PolicySeverity
{
    /// <summary>Blocks: validate fails, plan refuses, and the reconciler writes nothing (outcome PolicyDenied). The default.</summary>
    Deny,

    /// <summary>Recorded and printed; the run goes on.</summary>
    Warn,
}
