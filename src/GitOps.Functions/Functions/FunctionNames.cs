namespace GitOps.Functions.Functions;

/// <summary>The functions' names: what the host registers, logs and keys them by.</summary>
internal static class FunctionNames
{
    /// <summary>The reconcile queue trigger.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>The poison queue trigger.</summary>
    public const string Poison = "poison";

    /// <summary>The drift queue trigger (drift jobs, with worker slots of their own).</summary>
    public const string ReconcileDrift = "reconcile-drift";

    /// <summary>The drift poison queue trigger.</summary>
    public const string DriftPoison = "drift-poison";

    /// <summary>The ARM events queue trigger.</summary>
    public const string Events = "events";

    /// <summary>The drift timer.</summary>
    public const string Drift = "drift";

    /// <summary>The retention cleanup timer.</summary>
    public const string Retention = "retention";

    /// <summary>The anonymous webhook.</summary>
    public const string Webhook = "webhook";

    /// <summary>The JSON api (function key).</summary>
    public const string Api = "api";

    /// <summary>The status page (function key).</summary>
    public const string Status = "status";
}
