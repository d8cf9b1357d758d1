using System.Text.Json.Nodes;
using GitOps.Core.Planning;

namespace GitOps.Core.Apply;

/// <summary>
/// Makes <c>reconcile.ignore</c> hold for writes too, not only for diffs: before a PUT, the live value at each ignored
/// pointer replaces (or fills in) the declared one, so an update never resets a field git says to leave alone — such as
/// a virtual network's <c>/properties/subnets</c> when the subnets are managed as separate resources, which a PUT
/// without them would delete. (Argo CD users hit the opposite default: its ignoreDifferences only affects the diff.)
/// </summary>
public static class IgnoredFields
{
    /// <summary>
    /// Returns the body to PUT: <paramref name="desired"/> with the live values of the ignored pointers carried over.
    /// A pointer the live body lacks is removed from the request, so ARM keeps whatever it has.
    /// </summary>
    public static JsonObject Preserve(JsonObject desired, JsonObject? live, IReadOnlyList<string> ignore)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(ignore);
        var body = desired.DeepClone().AsObject();
        foreach (var pointer in ignore)
        {
            var segments = pointer.Split('/').Skip(1).Select(JsonPointer.Unescape).ToArray();
            if (segments.Length == 0)
            {
                continue;
            }

            var liveValue = live is null ? null : Find(live, segments);
            if (liveValue is null)
            {
                Remove(body, segments);
            }
            else
            {
                Set(body, segments, liveValue.DeepClone());
            }
        }

        return body;
    }

    private static JsonNode? Find(JsonNode node, string[] segments)
    {
        JsonNode? current = node;
        foreach (var segment in segments)
        {
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segment, out var next) ? next : null,
                JsonArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static void Set(JsonObject body, string[] segments, JsonNode value)
    {
        JsonNode current = body;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current is JsonObject obj)
            {
                if (obj[segments[i]] is not JsonNode next)
                {
                    next = new JsonObject();
                    obj[segments[i]] = next;
                }

                current = next;
            }
            else if (current is JsonArray array && int.TryParse(segments[i], out var index) && index >= 0 && index < array.Count && array[index] is JsonNode element)
            {
                current = element;
            }
            else
            {
                return;
            }
        }

        switch (current)
        {
            case JsonObject target:
                target[segments[^1]] = value;
                break;
            case JsonArray list when int.TryParse(segments[^1], out var at) && at >= 0 && at < list.Count:
                list[at] = value;
                break;
        }
    }

    private static void Remove(JsonObject body, string[] segments)
    {
        var parent = segments.Length == 1 ? body : Find(body, segments[..^1]);
        if (parent is JsonObject obj)
        {
            obj.Remove(segments[^1]);
        }
    }
}
