using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Cli.Workspace;

/// <summary>
/// A live snapshot for offline plans: a folder of <c>*.json</c> files, each one ARM GET response body with its
/// <c>id</c> (as <c>az resource show</c> or the REST API returns it). A declared resource with no file is absent.
/// </summary>
internal static class LiveSnapshot
{
    /// <summary>Reads the folder; returns null after printing every problem (file and what is wrong).</summary>
    public static Dictionary<string, JsonObject>? Load(string folder, CliConsole console)
    {
        if (!Directory.Exists(folder))
        {
            console.Error.WriteLine($"error: live snapshot folder '{folder}' does not exist.");
            return null;
        }

        var live = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var seenIn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (JsonException error)
            {
                console.Error.WriteLine($"{file}:{error.LineNumber + 1}: error: not valid JSON: {error.Message}");
                ok = false;
                continue;
            }

            if (node is not JsonObject body || body["id"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
            {
                console.Error.WriteLine($"{file}: error: expected an ARM GET response body: a JSON object with a string \"id\".");
                ok = false;
                continue;
            }

            var id = idValue.GetValue<string>();
            if (seenIn.TryGetValue(id, out var other))
            {
                console.Error.WriteLine($"{file}: error: resource {id} is also in {other}; keep one file per resource.");
                ok = false;
                continue;
            }

            seenIn[id] = file;
            live[id] = body;
        }

        return ok ? live : null;
    }
}
