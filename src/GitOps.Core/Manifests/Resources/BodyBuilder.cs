using System.Text.Json.Nodes;
using GitOps.Core.Manifests.Expressions;
using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// Turns the ARM fields of a draft into the JSON request body: expands expressions in every string (keys included),
/// types scalars by the YAML 1.2 core schema, and records where every field was written (JSON pointer to location).
/// </summary>
internal sealed class BodyBuilder(ExpressionExpander expander, List<Diagnostic> diagnostics)
{
    /// <summary>Fields whose values ARM only takes as strings: scalars there are kept as text (<c>zones: [1, 2]</c>).</summary>
    private static readonly string[] StringValuedFields = ["/tags", "/zones"];

    private List<SecretReference> _secrets = [];

    /// <summary>Builds the body of a draft; <paramref name="locations"/> receives a location per JSON pointer.</summary>
    public JsonObject Build(ResourceDraft draft, ExpressionContext context, IDictionary<string, SourceLocation> locations) =>
        Build(draft, context, locations, []);

    /// <summary>Builds the body of a draft; <paramref name="secrets"/> receives every <c>keyvault()</c> with its field.</summary>
    public JsonObject Build(ResourceDraft draft, ExpressionContext context, IDictionary<string, SourceLocation> locations, List<SecretReference> secrets)
    {
        _secrets = secrets;
        var body = new JsonObject();
        foreach (var (key, node) in draft.BodyFields)
        {
            var pointer = "/" + Pointers.JsonPointer.Escape(key.Value);
            body[key.Value] = Convert(node, pointer, context, locations, stringsOnly: false);
        }

        return body;
    }

    private JsonNode? Convert(YamlNode node, string pointer, ExpressionContext context, IDictionary<string, SourceLocation> locations, bool stringsOnly)
    {
        switch (node)
        {
            case YamlScalar scalar:
                return ConvertScalar(scalar, pointer, context, stringsOnly);
            case YamlList list:
            {
                var array = new JsonArray();
                var childStrings = StringValuedFields.Contains(pointer, StringComparer.Ordinal);
                for (var i = 0; i < list.Items.Count; i++)
                {
                    var item = list.Items[i];
                    var itemPointer = $"{pointer}/{i}";
                    locations[itemPointer] = item.Location;
                    array.Add(Convert(item, itemPointer, context, locations, childStrings));
                }

                return array;
            }

            case YamlMap map:
            {
                var json = new JsonObject();
                var childStrings = StringValuedFields.Contains(pointer, StringComparer.Ordinal);
                foreach (var (keyNode, value) in map.Entries)
                {
                    var secretsBefore = context.SecretUrls.Count;
                    var key = expander.Expand(keyNode, context);
                    if (context.SecretUrls.Count > secretsBefore)
                    {
                        context.SecretUrls.RemoveRange(secretsBefore, context.SecretUrls.Count - secretsBefore);
                        diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.InvalidValue, keyNode.Location,
                            "A secret cannot be a key: keyvault() can only be the value of a field.",
                            "Use a literal key and put keyvault() in its value."));
                        continue;
                    }

                    if (key.Failed)
                    {
                        continue;
                    }

                    if (json.ContainsKey(key.Value))
                    {
                        diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.InvalidValue, keyNode.Location,
                            $"Key '{key.Value}' appears twice in this map once expressions are expanded.",
                            "Make the keys unique."));
                        continue;
                    }

                    var childPointer = $"{pointer}/{Pointers.JsonPointer.Escape(key.Value)}";
                    locations[childPointer] = keyNode.Location;
                    json[key.Value] = Convert(value, childPointer, context, locations, childStrings);
                }

                return json;
            }

            default:
                throw new InvalidOperationException($"Unexpected YAML node {node.GetType().Name}.");
        }
    }

    private JsonNode? ConvertScalar(YamlScalar scalar, string pointer, ExpressionContext context, bool stringsOnly)
    {
        var secretsBefore = context.SecretUrls.Count;
        var expanded = expander.Expand(scalar, context);
        if (context.SecretUrls.Count > secretsBefore)
        {
            return SecretField(scalar, pointer, context, expanded, secretsBefore);
        }

        if (expanded.Failed)
        {
            // Already reported; the text as written keeps shape checks from reporting the same spot again.
            return JsonValue.Create(scalar.Value);
        }

        if (stringsOnly && !YamlCoreSchema.IsNull(scalar))
        {
            return JsonValue.Create(expanded.Value);
        }

        JsonNode? value;
        string? error;
        if (expanded.HasExpressions && scalar.IsPlain && scalar.Tag is null)
        {
            // A plain scalar that is exactly one expression is typed as if its value were written there
            // (capacity: ${{ vars.capacity }} gives a number); text around an expression, or quotes, keep it text.
            if (!expanded.IsWholeExpression)
            {
                return JsonValue.Create(expanded.Value);
            }

            if (YamlCoreSchema.TryResolvePlain(expanded.Value, out value, out error))
            {
                return value;
            }
        }
        else if (YamlCoreSchema.TryType(scalar, expanded.Value, out value, out error))
        {
            return value;
        }

        diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.InvalidValue, scalar.Location, error ?? $"'{scalar.Value}' cannot be written in JSON.",
            "Quote the value to keep it as text, or write a number JSON can hold."));
        return null;
    }

    // The secret stands alone so that the applier can swap the whole field for the value: text around it would make
    // the value part of a longer string that plans and records would have to carry.
    private JsonNode? SecretField(YamlScalar scalar, string pointer, ExpressionContext context, ExpandedText expanded, int secretsBefore)
    {
        var urls = context.SecretUrls.GetRange(secretsBefore, context.SecretUrls.Count - secretsBefore);
        if (expanded.Failed)
        {
            return JsonValue.Create(scalar.Value);
        }

        if (!expanded.IsWholeExpression)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, scalar.Location,
                $"keyvault('{urls[0]}') must be the whole value of {pointer}, not part of a longer text.",
                "Store the complete value (for example the whole connection string) as the secret and write only ${{ keyvault('…') }} here."));
            return JsonValue.Create(scalar.Value);
        }

        var reference = new SecretReference(pointer, urls[0]);
        _secrets.Add(reference);
        return JsonValue.Create(reference.Placeholder);
    }
}
