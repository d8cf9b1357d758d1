using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;

namespace GitOps.Core.Planning;

/// <summary>
/// Everything the planner looks at. Planning is a pure function of this value.
/// </summary>
public sealed record PlanInput
{
    /// <summary>The environment name, echoed in the result.</summary>
    public required string Environment { get; init; }

    /// <summary>The declared resources, validated and expanded.</summary>
    public required IReadOnlyList<DeclaredResource> Desired { get; init; }

    /// <summary>
    /// What ARM returned, keyed by resource id (compared case-insensitively). A declared resource that is not in
    /// the map is absent (404).
    /// </summary>
    public required IReadOnlyDictionary<string, JsonObject> Live { get; init; }

    /// <summary>
    /// Changes already planned for some declared resources, by id (compared case-insensitively): a run that spent its
    /// time budget planned them in an earlier segment from the live state it read then, and checkpointed the decisions
    /// instead of the bodies. Such a resource needs no entry in <see cref="Live"/>; its change is taken as it is (with
    /// the declaration of this input). Null: every declared resource is planned from <see cref="Live"/>.
    /// </summary>
    public IReadOnlyDictionary<string, ResourceChange>? Planned { get; init; }

    /// <summary>What the environment applied last time; empty on the first run.</summary>
    public ResourceInventory Inventory { get; init; } = ResourceInventory.Empty;

    /// <summary>Options.</summary>
    public PlanOptions Options { get; init; } = PlanOptions.Default;
}

/// <summary>Planner options.</summary>
public sealed record PlanOptions
{
    /// <summary>Correct (writes planned) or detect (differences become <see cref="PlanAction.Drift"/>).</summary>
    public DriftMode DriftMode { get; init; } = DriftMode.Correct;

    /// <summary>Prune settings of the environment.</summary>
    public PruneSettings Prune { get; init; } = PruneSettings.Disabled;

    /// <summary>The defaults.</summary>
    public static PlanOptions Default { get; } = new();
}
