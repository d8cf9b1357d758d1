using GitOps.Core.Manifests;

namespace GitOps.Core.Planning;

/// <summary>
/// What the plan does with one resource, and why.
/// </summary>
public sealed record ResourceChange
{
    /// <summary>The resource id (declared casing, or the inventory's for deletes).</summary>
    public required string Id { get; init; }

    /// <summary>The resource type without api-version.</summary>
    public required string Type { get; init; }

    /// <summary>The api-version used for the write (declared, or the inventory's for deletes).</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The action.</summary>
    public required PlanAction Action { get; init; }

    /// <summary>Field-level differences (empty for noop, create and delete).</summary>
    public IReadOnlyList<FieldDiff> Diffs { get; init; } = [];

    /// <summary>A sentence saying why, when the action alone does not (e.g. "declaration changed since last apply", "over delete budget").</summary>
    public string? Reason { get; init; }

    /// <summary>The declaration, for create/update/noop/drift; null for deletes and detaches of removed resources.</summary>
    public DeclaredResource? Desired { get; init; }

    /// <summary>Ids this change depends on (for ordering waves; for deletes, the reverse order).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
}
