using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Schemas.Tests;

/// <summary>One request body of the corpus (testdata/corpus/bodies.json; sources in testdata/corpus/README.md).</summary>
internal sealed record CorpusEntry(string Type, string ApiVersion, string Name, string Source, JsonObject Body)
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> All = new(Read);

    /// <summary>Every entry.</summary>
    public static IReadOnlyList<CorpusEntry> Entries => All.Value;

    /// <summary>
    /// The entry as a resource document: JSON is YAML (1.2), so the body is pasted unchanged, indented one property per
    /// line, after our own fields. Parents of a child type get placeholder names.
    /// </summary>
    /// <param name="inResourceGroup">Place it in a resource group; otherwise at subscription level.</param>
    public string ToYaml(bool inResourceGroup = true)
    {
        var segments = Type.Count(c => c == '/');
        var name = string.Join('/', Enumerable.Range(1, segments - 1).Select(i => $"parent{i}").Append(Name));
        var document = new JsonObject
        {
            ["type"] = $"{Type}@{ApiVersion}",
            ["name"] = name,
        };
        if (inResourceGroup)
        {
            document["resourceGroup"] = "rg-corpus";
        }

        foreach (var (key, value) in Body)
        {
            document[key] = value?.DeepClone();
        }

        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static IReadOnlyList<CorpusEntry> Read()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "corpus", "bodies.json");
        var entries = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return entries.Select(e => new CorpusEntry(
            e!["type"]!.GetValue<string>(), e["apiVersion"]!.GetValue<string>(), e["name"]!.GetValue<string>(),
            e["source"]!.GetValue<string>(), e["body"]!.AsObject())).ToList();
    }
}
