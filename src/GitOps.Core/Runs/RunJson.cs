using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GitOps.Core.Inventory;

namespace GitOps.Core.Runs;

/// <summary>
/// JSON for run records and environment state: camelCase names, enums as camelCase strings, the inventory in its
/// compact <see cref="InventoryJson"/> form (one line; both forms are read). These documents are read back by later
/// versions, so fields are only added.
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

    /// <summary>Serializes a run's full plan (<see cref="RunDetail"/>), without indentation: it can hold every resource.</summary>
    public static string Serialize(RunDetail detail) => JsonSerializer.Serialize(detail, CompactOptions);

    /// <summary>Reads a run's full plan.</summary>
    public static RunDetail DeserializeDetail(string json) =>
        JsonSerializer.Deserialize<RunDetail>(json, Options) ?? throw new FormatException("A run's full plan must be a JSON object.");

    /// <summary>The serializer options of <see cref="Options"/> without indentation, for documents that hold every resource.</summary>
    public static JsonSerializerOptions CompactOptions { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented = true)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
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
            InventoryJson.FromJson(JsonNode.Parse(ref reader));

        public override void Write(Utf8JsonWriter writer, ResourceInventory value, JsonSerializerOptions options) =>
            writer.WriteRawValue(InventoryJson.ToCompactJson(value), skipInputValidation: true);
    }
}
