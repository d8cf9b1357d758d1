namespace GitOps.Core.Manifests;

/// <summary><c>reconcile.policy</c>: how the reconciler treats a declared resource.</summary>
public enum ResourcePolicy
{
    /// <summary>Create, update and (with prune) delete it to match git. The default.</summary>
    Manage,

    /// <summary>Never written: differences are reported as drift only.</summary>
    Observe,

    /// <summary>Stop managing it: never written, never deleted, dropped from the inventory.</summary>
    Detach,
}

/// <summary><c>reconcile.onDelete</c>: what prune does when the resource is removed from git.</summary>
public enum DeleteBehavior
{
    /// <summary>Delete it from Azure (when the environment enables prune).</summary>
    Delete,

    /// <summary>Forget it without deleting it.</summary>
    Detach,
}

/// <summary><c>reconcile.schema</c>: whether the body is checked against the resource type catalogue.</summary>
public enum SchemaCheck
{
    /// <summary>Checked, and the catalogue's flags guide the plan. The default.</summary>
    On,

    /// <summary>Not checked, and planned as if the catalogue did not know the type: for preview types the catalogue lacks, or where it is wrong.</summary>
    Off,
}

/// <summary>The <c>reconcile</c> block of a resource document.</summary>
/// <param name="Policy">Manage, observe or detach.</param>
/// <param name="Ignore">JSON pointers (into the ARM body, e.g. <c>/properties/networkAcls</c>) never diffed nor drift-corrected.</param>
/// <param name="OnDelete">Delete or detach when removed from git.</param>
public sealed record ReconcileSettings(ResourcePolicy Policy, IReadOnlyList<string> Ignore, DeleteBehavior OnDelete)
{
    /// <summary><c>schema: off</c> skips the catalogue check for this resource.</summary>
    public SchemaCheck Schema { get; init; } = SchemaCheck.On;

    /// <summary>The defaults: manage, ignore nothing, delete on prune.</summary>
    public static ReconcileSettings Default { get; } = new(ResourcePolicy.Manage, [], DeleteBehavior.Delete);

    /// <summary>Health assertions on the live body after a write (<c>reconcile.health</c>); null for none.</summary>
    public HealthSettings? Health { get; init; }
}
