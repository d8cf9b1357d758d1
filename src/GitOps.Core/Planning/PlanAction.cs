namespace GitOps.Core.Planning;

/// <summary>What a plan will do with one resource. The names are the ones in the JSON output.</summary>
public enum PlanAction
{
    /// <summary>Azure already matches git.</summary>
    Noop,

    /// <summary>Declared, absent from Azure: PUT.</summary>
    Create,

    /// <summary>Declared and present, but different (or its declaration changed since the last apply): PUT.</summary>
    Update,

    /// <summary>In the inventory, removed from git, prune on: DELETE.</summary>
    Delete,

    /// <summary>Forgotten without deleting (<c>policy: detach</c>, or <c>onDelete: detach</c>, or removed while prune is off).</summary>
    Detach,

    /// <summary>A difference that will not be written (<c>policy: observe</c>, or drift mode <c>detect</c>).</summary>
    Drift,
}

/// <summary>Helpers on <see cref="PlanAction"/>.</summary>
public static class PlanActionExtensions
{
    /// <summary>True for actions that send a write to ARM.</summary>
    public static bool Writes(this PlanAction action) =>
        action is PlanAction.Create or PlanAction.Update or PlanAction.Delete;

    /// <summary>The lower-case name used in JSON and tables.</summary>
    public static string ToWireName(this PlanAction action) => action switch
    {
        PlanAction.Noop => "noop",
        PlanAction.Create => "create",
        PlanAction.Update => "update",
        PlanAction.Delete => "delete",
        PlanAction.Detach => "detach",
        PlanAction.Drift => "drift",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
