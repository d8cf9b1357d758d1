using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.Normalization;

/// <summary>Turns a PUT body into the body ARM would return on GET: the normalizations of docs/arm-protocol.md §7.</summary>
internal sealed class ResourceNormalizer
{
    private static readonly string[] ReadOnlyTopLevel = ["id", "name", "type", "etag", "systemData"];

    private readonly IReadOnlyDictionary<string, ArmLocationStyle> _locationOverrides;

    public ResourceNormalizer(IDictionary<string, ArmLocationStyle> locationOverrides)
    {
        _locationOverrides = new Dictionary<string, ArmLocationStyle>(locationOverrides, StringComparer.OrdinalIgnoreCase);
    }

    public ArmLocationStyle LocationStyle(string type)
    {
        if (NormalizationTables.TryMatch(_locationOverrides, type, out var style))
        {
            return style;
        }

        return NormalizationTables.TryMatch(NormalizationTables.LocationStyles, type, out style) ? style : ArmLocationStyle.Lowercase;
    }

    public static string RenderedType(string type) =>
        NormalizationTables.ReturnedTypeNames.TryGetValue(type, out var returned) ? returned : type;

    /// <summary>The id a GET reports: ARM casing, plus the per-type casing quirks.</summary>
    public static string RenderedId(ArmResourceId id, string storedId)
    {
        if (NormalizationTables.ReturnedTypeNames.TryGetValue(id.FullType, out var returned))
        {
            var requested = "/providers/" + id.FullType.Split('/')[0] + "/" + id.TypeSegments[0] + "/";
            var replacement = "/providers/" + returned + "/";
            var at = storedId.LastIndexOf(requested, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                storedId = string.Concat(storedId.AsSpan(0, at), replacement, storedId.AsSpan(at + requested.Length));
            }
        }

        if (NormalizationTables.Contains(NormalizationTables.LowercaseIdTypes, id.FullType))
        {
            storedId = storedId
                .Replace("/resourceGroups/", "/resourcegroups/", StringComparison.Ordinal)
                .Replace("/providers/" + id.Namespace + "/", "/providers/" + id.Namespace.ToLowerInvariant() + "/", StringComparison.Ordinal);
        }

        return storedId;
    }

    public static bool HasETag(string type) => NormalizationTables.Contains(NormalizationTables.ETagTypes, type);

    /// <summary>Builds the stored (live) body of a resource from the body a client PUT.</summary>
    public JsonObject BuildLiveBody(ArmResourceId id, string storedId, JsonObject request, JsonObject? existing, DateTimeOffset now)
    {
        var body = (JsonObject)request.DeepClone();
        foreach (var name in ReadOnlyTopLevel)
        {
            body.Remove(name);
        }

        if (body["properties"] is JsonObject sentProperties)
        {
            sentProperties.Remove("provisioningState");
        }

        DropWriteOnly(id.FullType, body);

        if (JsonEdit.String(body, "location") is { } location)
        {
            body["location"] = RegionNames.Apply(LocationStyle(id.FullType), location);
        }

        var renderedId = RenderedId(id, storedId);
        TypeDefaults.Apply(id, renderedId, body);

        var result = new JsonObject
        {
            ["id"] = renderedId,
            ["name"] = id.Name,
            ["type"] = RenderedType(id.FullType),
        };
        if (HasETag(id.FullType))
        {
            result["etag"] = JsonEdit.NewETag();
        }

        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            result[key] = value;
        }

        result["systemData"] = SystemData(existing?["systemData"] as JsonObject, now, "armsim@example.com");
        return result;
    }

    /// <summary>systemData as ARM reports it; the creation half is kept across updates.</summary>
    public static JsonObject SystemData(JsonObject? previous, DateTimeOffset now, string modifiedBy)
    {
        var stamp = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["createdBy"] = JsonEdit.String(previous, "createdBy") ?? modifiedBy,
            ["createdByType"] = JsonEdit.String(previous, "createdByType") ?? "Application",
            ["createdAt"] = JsonEdit.String(previous, "createdAt") ?? stamp,
            ["lastModifiedBy"] = modifiedBy,
            ["lastModifiedByType"] = "Application",
            ["lastModifiedAt"] = stamp,
        };
    }

    private static void DropWriteOnly(string type, JsonObject body)
    {
        DropNamed(body);
        if (NormalizationTables.TryMatch(NormalizationTables.WriteOnlyPaths, type, out var paths))
        {
            foreach (var path in paths)
            {
                var parts = path.Split('.');
                var parent = body;
                for (var i = 0; i < parts.Length - 1 && parent is not null; i++)
                {
                    parent = parent[parts[i]] as JsonObject;
                }

                parent?.Remove(parts[^1]);
            }
        }
    }

    private static void DropNamed(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(pair => pair.Key).ToList())
                {
                    if (NormalizationTables.WriteOnlyPropertyNames.Contains(key))
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        DropNamed(obj[key]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    DropNamed(item);
                }

                break;
        }
    }
}
