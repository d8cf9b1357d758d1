using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Inventory;

namespace GitOps.Cli.Workspace;

/// <summary>
/// The inventory of a CLI <c>apply</c>, kept as <c>&lt;state-dir&gt;/&lt;environment&gt;.json</c> (by default
/// <c>.gitops/state</c> inside the config folder; add <c>.gitops/</c> to <c>.gitignore</c>). Written atomically
/// (temporary file + rename) so an interrupted apply never leaves half a file.
/// </summary>
internal sealed class LocalStateStore(string directory)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string PathOf(string environment) => System.IO.Path.Combine(directory, environment + ".json");

    public ResourceInventory Load(string environment)
    {
        var file = PathOf(environment);
        if (!File.Exists(file))
        {
            return ResourceInventory.Empty;
        }

        try
        {
            var json = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
            return InventoryJson.FromJson(json?["inventory"] as JsonArray);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"State file '{file}' is damaged ({error.Message}). Restore it, or delete it to start with an empty inventory (prune then forgets what it applied).", error);
        }
    }

    public void Save(string environment, ResourceInventory inventory)
    {
        Directory.CreateDirectory(directory);
        var file = PathOf(environment);
        var temporary = file + ".tmp";
        var json = new JsonObject
        {
            ["environment"] = environment,
            ["updated"] = DateTimeOffset.UtcNow.ToString("O"),
            ["inventory"] = InventoryJson.ToJson(inventory),
        };
        File.WriteAllText(temporary, json.ToJsonString(Indented));
        File.Move(temporary, file, overwrite: true);
    }
}
