using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Functions.Invocation;

/// <summary>
/// What the Functions host POSTs to <c>/{FunctionName}</c> for a non-HTTP trigger:
/// <c>{"Data":{"&lt;binding name&gt;": value},"Metadata":{"DequeueCount":…,"Id":…,"sys":{…}}}</c>
/// (functions-and-storage.md §1.3). Both objects are kept as JSON so that each function reads what it needs tolerantly.
/// </summary>
/// <param name="Data">Trigger and input values by binding name.</param>
/// <param name="Metadata">Trigger metadata (queue message id, dequeue count, …) and <c>sys</c>.</param>
public sealed record InvocationRequest(JsonObject Data, JsonObject Metadata)
{
    /// <summary>Parses an invocation body.</summary>
    /// <param name="body">The request body.</param>
    /// <exception cref="FormatException">Not an invocation; the message says what is missing.</exception>
    public static InvocationRequest Parse(ReadOnlySpan<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException error)
        {
            throw new FormatException($"The invocation body is not JSON: {error.Message}", error);
        }

        if (root is not JsonObject json)
        {
            throw new FormatException("The invocation body must be a JSON object with 'Data' and 'Metadata'.");
        }

        var data = Member(json, "Data") as JsonObject
            ?? throw new FormatException("The invocation body has no 'Data' object; is this request coming from the Functions host?");
        var metadata = Member(json, "Metadata") as JsonObject ?? [];
        return new InvocationRequest(data, metadata);
    }

    /// <summary>
    /// The value of a binding: by its name, or the only entry of <see cref="Data"/> when the name differs (a renamed
    /// binding in function.json must not silently drop every message).
    /// </summary>
    /// <param name="bindingName">The binding name in function.json.</param>
    /// <returns>The value, or null when there is none.</returns>
    public JsonNode? Binding(string bindingName) =>
        Member(Data, bindingName) ?? (Data.Count == 1 ? Data.First().Value : null);

    /// <summary>A metadata value by name (case-insensitive), or null.</summary>
    public JsonNode? MetadataValue(string name) => Member(Metadata, name);

    /// <summary>A member by name, exact first, then ignoring case (Newtonsoft keeps .NET property casing).</summary>
    private static JsonNode? Member(JsonObject json, string name)
    {
        if (json.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in json)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
