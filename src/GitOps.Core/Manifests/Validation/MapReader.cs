using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Manifests.Validation;

/// <summary>
/// Helpers that read the fields of our own formats (gitops.yaml, the non-ARM fields of a resource) from a YAML map,
/// reporting every wrong shape with its location instead of stopping.
/// </summary>
internal sealed class MapReader(List<Diagnostic> diagnostics)
{
    /// <summary>The diagnostics being collected.</summary>
    public List<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>Reports every key that is not in <paramref name="known"/>, with a suggestion.</summary>
    public void RejectUnknownKeys(YamlMap map, IReadOnlyCollection<string> known, string where, Func<string, string?>? specialHint = null)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (known.Contains(key.Value))
            {
                continue;
            }

            var suggestion = Suggestions.Closest(key.Value, known);
            var message = suggestion is null
                ? $"Unknown field '{key.Value}' in {where}."
                : $"Unknown field '{key.Value}' in {where}; did you mean '{suggestion}'?";
            var hint = specialHint?.Invoke(key.Value)
                ?? (suggestion is null
                    ? $"Remove it; the fields are: {string.Join(", ", known)}."
                    : $"Rename it to '{suggestion}'.");
            Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownField, key.Location, message, hint));
        }
    }

    /// <summary>Expects a map; reports and returns null otherwise.</summary>
    public YamlMap? ExpectMap(YamlNode node, string field, string example)
    {
        if (node is YamlMap map)
        {
            return map;
        }

        Diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.InvalidValue, node.Location,
            $"'{field}' must be a map, not a {Describe(node)}.", $"Write it as {example}."));
        return null;
    }

    /// <summary>Expects a list; reports and returns null otherwise.</summary>
    public YamlList? ExpectList(YamlNode node, string field, string example)
    {
        if (node is YamlList list)
        {
            return list;
        }

        Diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.InvalidValue, node.Location,
            $"'{field}' must be a list, not a {Describe(node)}.", $"Write it as {example}."));
        return null;
    }

    /// <summary>Expects a non-null scalar; reports and returns null otherwise.</summary>
    public YamlScalar? ExpectScalar(YamlNode node, string field, string example)
    {
        if (node is YamlScalar scalar && !YamlCoreSchema.IsNull(scalar))
        {
            return scalar;
        }

        Diagnostics.Add(node is YamlScalar
            ? Diagnostic.Error(DiagnosticCodes.MissingField, node.Location, $"'{field}' has no value.", $"Write it as {example}.")
            : Diagnostic.Error(DiagnosticCodes.InvalidValue, node.Location,
                $"'{field}' must be text, not a {Describe(node)}.", $"Write it as {example}."));
        return null;
    }

    /// <summary>Reads a core-schema boolean; <c>yes</c>/<c>on</c> are refused with a clear hint (YAML 1.2).</summary>
    public bool? ReadBool(YamlNode node, string field)
    {
        if (ExpectScalar(node, field, $"{field}: true") is not { } scalar)
        {
            return null;
        }

        if (scalar.IsPlain && YamlCoreSchema.TryResolvePlain(scalar.Value, out var value, out _)
            && value is System.Text.Json.Nodes.JsonValue json && json.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        Diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.InvalidValue, scalar.Location,
            $"'{field}' must be true or false, not '{scalar.Value}'.",
            "Write true or false (YAML 1.2: yes/no/on/off are text, not booleans)."));
        return null;
    }

    /// <summary>Reads one of a closed set of words (exact, lower case as documented).</summary>
    public T? ReadEnum<T>(YamlNode node, string field, IReadOnlyDictionary<string, T> values)
        where T : struct
    {
        var example = $"{field}: {values.Keys.First()}";
        if (ExpectScalar(node, field, example) is not { } scalar)
        {
            return null;
        }

        if (values.TryGetValue(scalar.Value, out var value))
        {
            return value;
        }

        Diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.InvalidValue, scalar.Location,
            $"'{field}' must be one of {string.Join(", ", values.Keys)}, not '{scalar.Value}'{Suggestions.DidYouMean(scalar.Value, values.Keys)}",
            $"Write one of: {string.Join(", ", values.Keys)}."));
        return null;
    }

    /// <summary>"text", "map", "list" or "null" for messages.</summary>
    public static string Describe(YamlNode node) =>
        node is YamlScalar scalar && YamlCoreSchema.IsNull(scalar) ? "null" : node.Kind;
}
