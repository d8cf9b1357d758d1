using System.Text.Json.Nodes;

namespace GitOps.Core.Planning;

/// <summary>
/// One field that differs between git and Azure.
/// </summary>
/// <param name="Path">JSON pointer into the ARM body, e.g. <c>/properties/minimumTlsVersion</c>.</param>
/// <param name="Desired">The declared value; null when git does not declare it (e.g. an extra tag in Azure).</param>
/// <param name="Live">The value in Azure; null when Azure does not have it.</param>
/// <param name="Redacted">True when the value is a secret and <paramref name="Desired"/> / <paramref name="Live"/> were replaced by a marker.</param>
public sealed record FieldDiff(string Path, JsonNode? Desired, JsonNode? Live, bool Redacted = false);
