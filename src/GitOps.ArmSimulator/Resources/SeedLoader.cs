using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Normalization;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.Resources;

/// <summary>
/// Loads live resources from ARM GET bodies (the live-snapshot format: one <c>*.json</c> per resource, each with its
/// <c>id</c>). Seeded bodies are stored as given; a missing resource group is created for them, since a snapshot
/// folder rarely holds the groups themselves.
/// </summary>
internal sealed class SeedLoader
{
    private readonly ArmSimulatorEngine _engine;

    public SeedLoader(ArmSimulatorEngine engine) => _engine = engine;

    /// <summary>Seeds every <c>*.json</c> under <paramref name="directory"/>; returns how many resources were loaded.</summary>
    public int LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Seed directory '{directory}' does not exist. Create it or leave SeedDirectory unset.");
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException(
                    $"Seed file '{file}' is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine}): {ex.Message} Fix the file or remove it from the seed folder.", ex);
            }

            var items = node switch
            {
                JsonArray array => array.ToList(),
                JsonObject obj when obj["value"] is JsonArray value && obj["id"] is null => value.ToList(),
                _ => [node],
            };
            foreach (var item in items)
            {
                Seed(item as JsonObject ?? throw new InvalidDataException(
                    $"Seed file '{file}' holds a {item?.GetValueKind().ToString() ?? "null"} where an ARM resource object was expected."), file);
                count++;
            }
        }

        return count;
    }

    /// <summary>Stores one GET body as a live resource, replacing any resource with the same id.</summary>
    public string Seed(JsonObject body, string? source = null)
    {
        var where = source is null ? "Seeded resource" : $"Seed file '{source}'";
        var id = JsonEdit.String(body, "id")
            ?? throw new InvalidDataException($"{where} has no string 'id'. Each seed body needs the resource id ARM returns on GET.");
        var stored = (JsonObject)body.DeepClone();
        var state = JsonEdit.String(stored["properties"] as JsonObject, "provisioningState") ?? "Succeeded";
        (stored["properties"] as JsonObject)?.Remove("provisioningState");

        if (ArmResourceId.TryParse(id) is { } resourceId)
        {
            stored["id"] = id;
            JsonEdit.Default(stored, "name", resourceId.Name);
            JsonEdit.Default(stored, "type", resourceId.FullType);
            lock (_engine.Store.Gate)
            {
                EnsureResourceGroup(resourceId, stored);
                _engine.Store.Put(new StoredResource(resourceId.Key, resourceId.Id, resourceId.FullType, stored) { ProvisioningState = state });
            }

            return resourceId.Id;
        }

        var path = ArmPath.Parse(id);
        if (path.Kind == ArmPathKind.ResourceGroup)
        {
            var groupId = ArmPath.ResourceGroupId(path.SubscriptionId!, path.ResourceGroupName!);
            stored["id"] = groupId;
            JsonEdit.Default(stored, "name", path.ResourceGroupName);
            JsonEdit.Default(stored, "type", "Microsoft.Resources/resourceGroups");
            lock (_engine.Store.Gate)
            {
                _engine.Store.Put(new StoredResource(groupId.ToLowerInvariant(), groupId, "Microsoft.Resources/resourceGroups", stored)
                {
                    IsResourceGroup = true,
                    ProvisioningState = state,
                });
            }

            return groupId;
        }

        throw new InvalidDataException(
            $"{where} has id '{id}', which is neither a resource group id nor a resource id (.../providers/{{namespace}}/{{type}}/{{name}}).");
    }

    private void EnsureResourceGroup(ArmResourceId id, JsonObject body)
    {
        if (id.ResourceGroupId is not { } groupId || _engine.Store.Find(groupId) is not null)
        {
            return;
        }

        var location = JsonEdit.String(body, "location") ?? "westeurope";
        _engine.Store.Put(new StoredResource(groupId.ToLowerInvariant(), groupId, "Microsoft.Resources/resourceGroups", new JsonObject
        {
            ["id"] = groupId,
            ["name"] = id.ResourceGroup,
            ["type"] = "Microsoft.Resources/resourceGroups",
            ["location"] = location,
        })
        { IsResourceGroup = true });
    }
}
