using GitOps.Core.Planning;

namespace GitOps.Core.Runs;

/// <summary>What a recorded plan did with one resource (<see cref="ResourceChange"/> without the declaration).</summary>
public sealed record RecordedChange
{
    /// <summary>The resource id.</summary>
    public required string Id { get; init; }

    /// <summary>The resource type without api-version.</summary>
    public required string Type { get; init; }

    /// <summary>The api-version used for the write.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The action, written with its wire name (<see cref="PlanActionExtensions.ToWireName"/>).</summary>
    public required PlanAction Action { get; init; }

    /// <summary>Why, when the action alone does not say; absent from the JSON when null.</summary>
    public string? Reason { get; init; }

    /// <summary>Field-level differences (empty for noop, create and delete).</summary>
    public IReadOnlyList<RecordedDiff> Diffs { get; init; } = [];

    /// <summary>
    /// True on a preview's change of a resource the environment's inventory does not hold: its live state (whether it
    /// exists, its values, which fields differ) is not shown, so a pull request cannot read an arbitrary resource
    /// (docs/security.md, "What a pull request author can learn"). Absent from the JSON when false.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool LiveHidden { get; init; }

    /// <summary>The recorded form of a planned change.</summary>
    /// <param name="change">The planner's change.</param>
    public static RecordedChange From(ResourceChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new RecordedChange
        {
            Id = change.Id,
            Type = change.Type,
            ApiVersion = change.ApiVersion,
            Action = change.Action,
            Reason = change.Reason,
            Diffs = change.Diffs.Select(d => new RecordedDiff(d.Path, d.Desired?.DeepClone(), d.Live?.DeepClone(), d.Redacted)).ToList(),
        };
    }
}
