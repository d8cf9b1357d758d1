using System.Text.Json.Nodes;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Schemas;

/// <summary>The schemas shipped under <c>schemas/</c>, and which of them a YAML file of a config repository follows.</summary>
internal static class SchemaFiles
{
    public const string Config = "gitops.schema.json";
    public const string Resource = "resource.schema.json";
    public const string Policy = "policy.schema.json";

    private static readonly Dictionary<string, JsonSchemaValidator> Validators = new(StringComparer.Ordinal);

    public static string Directory => Path.Combine(RepositoryRoot(), "schemas");

    public static JsonObject Json(string schema) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, schema)))!.AsObject();

    public static JsonSchemaValidator Validator(string schema)
    {
        lock (Validators)
        {
            if (!Validators.TryGetValue(schema, out var validator))
            {
                validator = JsonSchemaValidator.Load(Path.Combine(Directory, schema));
                Validators[schema] = validator;
            }

            return validator;
        }
    }

    /// <summary>The schema a file follows, by name, as the loader decides what a file is.</summary>
    public static string For(string file) => Path.GetFileName(file) switch
    {
        "gitops.yaml" => Config,
        "gitops.policy.yaml" => Policy,
        _ => Resource,
    };

    /// <summary>Every YAML file under the folder, skipping dot-files and dot-folders as the loader does.</summary>
    public static IEnumerable<string> YamlFiles(string folder) =>
        System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
}
