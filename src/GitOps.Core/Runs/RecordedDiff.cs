using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace GitOps.Core.Runs;

/// <summary>
/// One field that differed, as recorded (<see cref="Planning.FieldDiff"/>; secrets are already redacted there).
/// </summary>
/// <param name="Path">JSON pointer into the ARM body.</param>
/// <param name="Desired">The declared value; written as <c>null</c> (never left out) when git does not declare it.</param>
/// <param name="Live">The value in Azure; written as <c>null</c> (never left out) when Azure does not have it.</param>
/// <param name="Redacted">True when the values are a secret's marker; written only when true, as before.</param>
public sealed record RecordedDiff(
    string Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonNode? Desired,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonNode? Live,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Redacted = false);
