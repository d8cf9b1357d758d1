using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Tests.Schemas;

/// <summary>
/// Turns the documents of a YAML file into JSON the way an editor's YAML language server does: YAML 1.2 core-schema
/// typing (the same typing the loader uses), keys as text, expressions left unexpanded.
/// </summary>
internal static class YamlJson
{
    /// <summary>Every non-empty document of the file.</summary>
    public static IReadOnlyList<JsonNode?> Documents(string file, string yaml)
    {
        var diagnostics = new List<Diagnostic>();
        var documents = YamlFileReader.Read(file, Encoding.UTF8.GetBytes(yaml), ManifestLimits.Default, diagnostics);
        if (diagnostics.Count > 0)
        {
            throw new InvalidDataException(string.Join("\n", diagnostics));
        }

        return [.. documents.Where(d => !(d.Root is YamlScalar s && YamlCoreSchema.IsNull(s))).Select(d => Convert(d.Root))];
    }

    /// <summary>The single document of a YAML text.</summary>
    public static JsonNode? Single(string yaml) => Assert.Single(Documents("inline.yaml", yaml));

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMap map:
                var result = new JsonObject();
                foreach (var (key, value) in map.Entries)
                {
                    result[key.Value] = Convert(value);
                }

                return result;
            case YamlList list:
                return new JsonArray([.. list.Items.Select(Convert)]);
            case YamlScalar scalar:
                return YamlCoreSchema.TryType(scalar, scalar.Value, out var typed, out var error)
                    ? typed
                    : throw new InvalidDataException($"{scalar.Location}: {error}");
            default:
                throw new InvalidDataException($"{node.Location}: unexpected node {node.Kind}.");
        }
    }
}
