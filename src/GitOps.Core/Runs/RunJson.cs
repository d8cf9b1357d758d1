using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GitOps.Core.Inventory;

namespace GitOps.Core.Runs;

/// <summary>
/// JSON for run records and environment state: camelCase names, enums as camelCase strings, the inventory in its
/// <see cref="InventoryJson"/> form. These documents are read back by later versions, so fields are only added.
/// </summary>
public static class RunJson
{
    /// <summary>The serializer options used for records and state.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serializes a run record.</summary>
    public static string Serialize(RunRecord run) => JsonSerializer.Serialize(run, Options);

    /// <summary>Reads a run record.</summary>
    public static RunRecord DeserializeRun(string json) =>
        JsonSerializer.Deserialize<RunRecord>(json, Options) ?? throw new FormatException("A run record must be a JSON object.");

    /// <summary>Serializes an environment state.</summary>
    public static string Serialize(EnvironmentState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>Reads an environment state.</summary>
    public static EnvironmentState DeserializeState(string json) =>
        JsonSerializer.Deserialize<EnvironmentState>(json, Options) ?? throw new FormatException("An environment state must be a JSON object.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new InventoryConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class InventoryConverter : JsonConverter<ResourceInventory>
    {
        public override ResourceInventory Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            InventoryJson.FromJson(JsonNode.Parse(ref reader) as JsonArray);

        public override void Write(Utf8JsonWriter writer, ResourceInventory value, JsonSerializerOptions options) =>
            InventoryJson.ToJson(value).WriteTo(writer);
    }
}
