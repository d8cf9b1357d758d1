using System.Text.Json.Nodes;

namespace GitOps.Core.Pointers;

/// <summary>
/// RFC 6901 JSON pointers, as used in <see cref="Planning.FieldDiff.Path"/>, <c>reconcile.ignore</c>, secret references
/// and policy <c>assert.path</c>: the one walker, so that every part of the engine reads the same pointer the same way.
/// </summary>
/// <remarks>
/// <para>Inside a reference token <c>~</c> is written <c>~0</c> and <c>/</c> is written <c>~1</c>; no other <c>~</c> escape
/// exists. The empty pointer is the whole document, and every other pointer starts with <c>/</c>.</para>
/// <para>Array indices follow RFC 6901 §4: ASCII digits only, with no leading zero except <c>0</c> itself. <c>"+1"</c>,
/// <c>" 1"</c> and <c>"01"</c> name no element (they used to pass <c>int.TryParse</c> in two of three copies, so a
/// pointer could mean one element to policy and another to the applier). <c>-</c>, the element after the last, exists
/// only for <see cref="Set"/>, which appends there. A malformed pointer names nothing: the loaders refuse it with a
/// diagnostic before it gets here.</para>
/// </remarks>
public static class JsonPointer
{
    /// <summary>Escapes one reference token (<c>a/b</c> becomes <c>a~1b</c>).</summary>
    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.AsSpan().IndexOfAny('~', '/') < 0
            ? segment
            : segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>Unescapes one reference token (<c>a~1b</c> becomes <c>a/b</c>).</summary>
    public static string Unescape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);

        // Order matters (RFC 6901 §4): ~1 first, then ~0, so "~01" becomes "~1" and not "/".
        return segment.Contains('~', StringComparison.Ordinal)
            ? segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)
            : segment;
    }

    /// <summary>
    /// True when <paramref name="path"/> is <paramref name="prefix"/> or lies under it (segment-wise, so
    /// <c>/properties/ab</c> is not under <c>/properties/a</c>). The empty pointer is the whole document.
    /// </summary>
    public static bool IsSameOrUnder(ReadOnlySpan<char> path, ReadOnlySpan<char> prefix)
    {
        if (prefix.Length == 0)
        {
            return true;
        }

        return path.StartsWith(prefix, StringComparison.Ordinal)
            && (path.Length == prefix.Length || path[prefix.Length] == '/');
    }

    /// <summary>
    /// Splits a pointer into unescaped reference tokens (none for the empty pointer); false when it is not a pointer:
    /// non-empty without a leading <c>/</c>, or with a <c>~</c> not followed by <c>0</c> or <c>1</c>.
    /// </summary>
    public static bool TryParse(string pointer, out IReadOnlyList<string> segments)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        segments = [];
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        for (var i = pointer.IndexOf('~', StringComparison.Ordinal); i >= 0; i = pointer.IndexOf('~', i + 1))
        {
            if (i + 1 == pointer.Length || pointer[i + 1] is not ('0' or '1'))
            {
                return false;
            }
        }

        segments = pointer[1..].Split('/').Select(Unescape).ToArray();
        return true;
    }

    /// <summary>True when <paramref name="pointer"/> is a well-formed pointer (<see cref="TryParse"/>).</summary>
    public static bool IsValid(string pointer) => TryParse(pointer, out _);

    /// <summary>
    /// The array index a reference token names in an array of <paramref name="count"/> elements: digits only, no leading
    /// zero except <c>0</c>, below <paramref name="count"/>. False for anything else, <c>-</c> included.
    /// </summary>
    public static bool TryGetIndex(string token, int count, out int index)
    {
        ArgumentNullException.ThrowIfNull(token);
        index = -1;
        if (token.Length == 0 || token.Length > 10 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (!int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value >= count)
        {
            return false;
        }

        index = value;
        return true;
    }

    /// <summary>
    /// Looks up <paramref name="pointer"/> in <paramref name="root"/>. True when every token names an existing member or
    /// element; <paramref name="value"/> is then the node there, which is null for a JSON <c>null</c>.
    /// </summary>
    public static bool TryFind(JsonNode? root, string pointer, out JsonNode? value)
    {
        var segments = Parse(pointer);
        if (segments is null || !TryFind(root, segments, segments.Count, out value))
        {
            value = null;
            return false;
        }

        return true;
    }

    /// <summary>The node at <paramref name="pointer"/>; null when there is none or it is a JSON <c>null</c>.</summary>
    public static JsonNode? Find(JsonNode? root, string pointer) => TryFind(root, pointer, out var value) ? value : null;

    /// <summary>
    /// Replaces the value of an existing member or element; false (and nothing changed) when the pointer names none, or is
    /// the empty pointer (the root cannot be replaced in place).
    /// </summary>
    public static bool Replace(JsonNode root, string pointer, JsonNode? value)
    {
        var segments = Parse(pointer);
        if (segments is not { Count: > 0 } || !TryFind(root, segments, segments.Count - 1, out var parent))
        {
            return false;
        }

        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(segments[^1]):
                obj[segments[^1]] = value;
                return true;
            case JsonArray array when TryGetIndex(segments[^1], array.Count, out var index):
                array[index] = value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Sets the value at <paramref name="pointer"/>, creating missing (or null) object members on the way as empty
    /// objects; <c>-</c> as the last token appends to an array. False (and nothing changed beyond the objects created) when
    /// the way runs through a scalar or an array element that does not exist, or for the empty pointer.
    /// </summary>
    public static bool Set(JsonNode root, string pointer, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(root);
        var segments = Parse(pointer);
        if (segments is not { Count: > 0 })
        {
            return false;
        }

        var current = root;
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            switch (current)
            {
                case JsonObject obj:
                    if (obj[segment] is not JsonNode next)
                    {
                        next = new JsonObject();
                        obj[segment] = next;
                    }

                    current = next;
                    break;
                case JsonArray array when TryGetIndex(segment, array.Count, out var index) && array[index] is JsonNode element:
                    current = element;
                    break;
                default:
                    return false;
            }
        }

        switch (current)
        {
            case JsonObject target:
                target[segments[^1]] = value;
                return true;
            case JsonArray list when segments[^1] == "-":
                list.Add(value);
                return true;
            case JsonArray list when TryGetIndex(segments[^1], list.Count, out var at):
                list[at] = value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Removes the object member <paramref name="pointer"/> names; false when there is none. An array element is never
    /// removed: that would shift the elements after it, and with them what other pointers into the array name.
    /// </summary>
    public static bool Remove(JsonNode root, string pointer)
    {
        var segments = Parse(pointer);
        return segments is { Count: > 0 }
            && TryFind(root, segments, segments.Count - 1, out var parent)
            && parent is JsonObject obj
            && obj.Remove(segments[^1]);
    }

    // Loaders refuse malformed pointers with a diagnostic; here one simply names nothing, so a run never fails on it.
    private static IReadOnlyList<string>? Parse(string pointer) => TryParse(pointer, out var segments) ? segments : null;

    private static bool TryFind(JsonNode? root, IReadOnlyList<string> segments, int count, out JsonNode? value)
    {
        value = root;
        for (var i = 0; i < count; i++)
        {
            if (!TryChild(value, segments[i], out value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryChild(JsonNode? node, string segment, out JsonNode? child)
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(segment, out child);
            case JsonArray array when TryGetIndex(segment, array.Count, out var index):
                child = array[index];
                return true;
            default:
                child = null;
                return false;
        }
    }
}
