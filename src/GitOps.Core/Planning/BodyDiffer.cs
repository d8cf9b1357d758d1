using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Pointers;
using GitOps.Core.Schemas;

namespace GitOps.Core.Planning;

/// <summary>
/// Compares one declared ARM body with the body ARM returned, judging only what the declaration holds.
/// </summary>
/// <remarks>
/// <para>Walks the declared body. Live keys the declaration does not hold are ignored (read-only and server-populated
/// fields, service defaults), also inside declared objects and array elements. Object keys are looked up exactly,
/// then case-insensitively (services echo <c>userAssignedIdentities</c> keys, which are ids, in their own casing).</para>
/// <para>A declared value that ARM does not return (absent or null) is not drift: services omit write-only values and
/// defaults. Such paths, and every secret (<see cref="SecretProperties"/>), are collected as "unreturned" so a plan
/// can show them when the declaration changed since the last apply.</para>
/// <para><c>/tags</c>, when declared, is owned as a whole map: missing, different (values case-sensitive, keys
/// case-insensitive) and extra live tags are all drift, since the PUT replaces the map. A declared empty map (or an
/// empty collection) equals an absent declaration: tags are then not judged.</para>
/// <para>Arrays whose declared elements are all objects with a string <c>name</c> are matched by name
/// (case-insensitive) and diffed inside each element (declared keys only). A declared element missing in Azure is a
/// diff at the element's declared index (<c>/properties/securityRules/2</c>, live null); a live element the
/// declaration lacks is a diff at the array pointer plus <c>/-</c> (desired null, live = the element), because the
/// PUT would remove it. Other arrays compare element by element in order and must have the same length.</para>
/// <para><c>reconcile.ignore</c> pointers skip the node they name and everything under it; pointers into named
/// arrays use the declared index.</para>
/// <para>With the catalogue's type of the resource (<see cref="SchemaFlags"/>): a read-only property is never drift; a
/// write-only or secure one is handled as a known secret (never diffed, never shown, compared through the
/// declaration digest); a value of an enum compares ignoring case; diffs are redacted by the type's flags as well as
/// by <see cref="SecretProperties"/>' names.</para>
/// </remarks>
internal sealed class BodyDiffer
{
    private const string TagsKey = "tags";
    private const string NameKey = "name";

    // One differ serves a whole plan (one resource at a time), so the pointer buffer is allocated once.
    private readonly PointerBuffer _path = new();
    private string _resourceType = string.Empty;
    private SchemaType? _bodyType;
    private IReadOnlyList<string> _ignore = [];
    private bool _collectUnreturned;
    private List<FieldDiff>? _diffs;
    private List<FieldDiff>? _unreturned;

    /// <summary>Visible differences of the last comparison: what the PUT would change in Azure.</summary>
    public IReadOnlyList<FieldDiff> Diffs => (IReadOnlyList<FieldDiff>?)_diffs ?? [];

    /// <summary>Declared paths ARM did not return in the last comparison (live null), secrets redacted; empty unless collecting.</summary>
    public IReadOnlyList<FieldDiff> Unreturned => (IReadOnlyList<FieldDiff>?)_unreturned ?? [];

    /// <summary>Compares a declared body with the live one; read the result from <see cref="Diffs"/> and <see cref="Unreturned"/>.</summary>
    /// <param name="resourceType">The resource type (selects type-specific secret names).</param>
    /// <param name="ignore">The <c>reconcile.ignore</c> pointers.</param>
    /// <param name="collectUnreturned">Whether to record declared paths ARM did not return.</param>
    /// <param name="desired">The declared body.</param>
    /// <param name="live">The body ARM returned.</param>
    /// <param name="schema">The catalogue's type of the resource, if known.</param>
    /// <param name="resourceName">The resource's name (a body discriminated on <c>name</c> selects its shape by it).</param>
    public void Compare(
        string resourceType, IReadOnlyList<string> ignore, bool collectUnreturned, JsonObject desired, JsonObject live,
        ResourceTypeSchema? schema = null, string? resourceName = null)
    {
        _resourceType = resourceType;
        _bodyType = schema?.Body.Type;
        _ignore = ignore;
        _collectUnreturned = collectUnreturned;
        _diffs = null;
        _unreturned = null;
        _path.Pop(0);

        for (var i = 0; i < desired.Count; i++)
        {
            var (key, value) = desired.GetAt(i);
            var mark = _path.Push(key);
            if (string.Equals(key, TagsKey, StringComparison.Ordinal))
            {
                // A declared empty map (or "" / [] / null, as pasted ARM bodies sometimes hold) counts as not
                // declaring tags: they are then not judged, like any undeclared field.
                if (value is JsonObject { Count: > 0 } tags)
                {
                    CompareTags(tags, Lookup(live, key));
                }
                else if (value is not null && !IsEmptyTags(value))
                {
                    CompareNode(value, Lookup(live, key), key);
                }
            }
            else
            {
                CompareNode(value, Lookup(live, key), key, SchemaFlags.Find(_bodyType, desired, key, resourceName));
            }

            _path.Pop(mark);
        }
    }

    private void CompareNode(JsonNode? desired, JsonNode? live, string? name, SchemaFlags.Child schema = default)
    {
        if (desired is null || IsIgnored() || schema.IsReadOnly)
        {
            // Read-only: ARM sets it, so a declared value (the loader reports and drops it) is never drift.
            return;
        }

        if ((name is not null && SecretProperties.IsSecret(_resourceType, name)) || schema.IsSecret)
        {
            // Never diffed: GET does not return secrets, and a plan must not show one.
            AddUnreturned(desired, secret: true);
            return;
        }

        if (IsNull(live))
        {
            if (!IsEmptyContainer(desired))
            {
                AddUnreturned(desired, secret: false, schema.Type);
            }

            return;
        }

        switch (desired)
        {
            case JsonObject desiredObject:
                if (live is not JsonObject liveObject)
                {
                    AddDiff(desired, live, schema.Type);
                    return;
                }

                for (var i = 0; i < desiredObject.Count; i++)
                {
                    var (key, value) = desiredObject.GetAt(i);
                    var mark = _path.Push(key);
                    CompareNode(value, Lookup(liveObject, key), key, SchemaFlags.Find(schema.Type, desiredObject, key));
                    _path.Pop(mark);
                }

                break;

            case JsonArray desiredArray:
                if (live is not JsonArray liveArray)
                {
                    AddDiff(desired, live, schema.Type);
                    return;
                }

                var item = SchemaFlags.Item(schema.Type);
                if (IsNamedArray(desiredArray))
                {
                    CompareNamedArray(desiredArray, liveArray, item);
                }
                else
                {
                    CompareOrderedArray(desiredArray, liveArray, name, item);
                }

                break;

            case JsonValue desiredValue:
                if (live is not JsonValue liveValue
                    || !(ArmValueRules.ScalarEquals(desiredValue, liveValue, name) || EnumEquals(desiredValue, liveValue, schema.Type)))
                {
                    AddDiff(desired, live, schema.Type);
                }

                break;
        }
    }

    private void CompareOrderedArray(JsonArray desired, JsonArray live, string? name, SchemaType? item)
    {
        if (desired.Count != live.Count)
        {
            AddDiff(desired, live, item is null ? null : new ArraySchema(new SchemaRef(item)));
            return;
        }

        for (var i = 0; i < desired.Count; i++)
        {
            var mark = _path.Push(i);
            CompareNode(desired[i], live[i], name, new SchemaFlags.Child(null, item));
            _path.Pop(mark);
        }
    }

    private void CompareNamedArray(JsonArray desired, JsonArray live, SchemaType? item)
    {
        var matched = live.Count == 0 ? [] : new bool[live.Count];
        for (var i = 0; i < desired.Count; i++)
        {
            var element = (JsonObject)desired[i]!;
            var elementName = element[NameKey]!.GetValue<string>();
            var match = -1;
            for (var j = 0; j < live.Count; j++)
            {
                if (!matched[j] && live[j] is JsonObject candidate && NameOf(candidate) is { } candidateName
                    && string.Equals(candidateName, elementName, StringComparison.OrdinalIgnoreCase))
                {
                    match = j;
                    break;
                }
            }

            if (match >= 0)
            {
                matched[match] = true;
            }

            var mark = _path.Push(i);
            if (!IsIgnored())
            {
                if (match < 0)
                {
                    AddDiff(element, null, item);
                }
                else
                {
                    var liveElement = (JsonObject)live[match]!;
                    for (var k = 0; k < element.Count; k++)
                    {
                        var (key, value) = element.GetAt(k);
                        if (string.Equals(key, NameKey, StringComparison.Ordinal))
                        {
                            continue;
                        }

                        var keyMark = _path.Push(key);
                        CompareNode(value, Lookup(liveElement, key), key, SchemaFlags.Find(item, element, key));
                        _path.Pop(keyMark);
                    }
                }
            }

            _path.Pop(mark);
        }

        for (var j = 0; j < live.Count; j++)
        {
            if (!matched[j])
            {
                var mark = _path.Push("-");
                AddDiff(null, live[j], item);
                _path.Pop(mark);
            }
        }
    }

    private void CompareTags(JsonObject desired, JsonNode? live)
    {
        if (IsIgnored())
        {
            return;
        }

        var liveTags = live as JsonObject;
        for (var i = 0; i < desired.Count; i++)
        {
            var (key, value) = desired.GetAt(i);
            if (value is null)
            {
                continue;
            }

            var mark = _path.Push(key);
            if (!IsIgnored())
            {
                var liveValue = liveTags is null ? null : Lookup(liveTags, key);
                if (IsNull(liveValue))
                {
                    AddDiff(value, null);
                }
                else if (!TagValueEquals(value, liveValue!))
                {
                    AddDiff(value, liveValue);
                }
            }

            _path.Pop(mark);
        }

        if (liveTags is null)
        {
            return;
        }

        for (var i = 0; i < liveTags.Count; i++)
        {
            var (key, value) = liveTags.GetAt(i);
            if (!HasKey(desired, key))
            {
                var mark = _path.Push(key);
                if (!IsIgnored())
                {
                    AddDiff(null, value);
                }

                _path.Pop(mark);
            }
        }
    }

    private static bool TagValueEquals(JsonNode? desired, JsonNode live)
    {
        if (desired is JsonValue d && live is JsonValue l
            && d.GetValueKind() == JsonValueKind.String && l.GetValueKind() == JsonValueKind.String)
        {
            return string.Equals(d.GetValue<string>(), l.GetValue<string>(), StringComparison.Ordinal);
        }

        return desired is not null && JsonNode.DeepEquals(desired, live);
    }

    private bool IsIgnored()
    {
        if (_ignore.Count == 0)
        {
            return false;
        }

        var path = _path.Span;
        for (var i = 0; i < _ignore.Count; i++)
        {
            if (JsonPointer.IsSameOrUnder(path, _ignore[i]))
            {
                return true;
            }
        }

        return false;
    }

    private void AddDiff(JsonNode? desired, JsonNode? live, SchemaType? type = null)
    {
        var desiredCopy = Copy(desired, type, out var desiredRedacted);
        var liveCopy = Copy(live, type, out var liveRedacted);
        (_diffs ??= []).Add(new FieldDiff(_path.ToString(), desiredCopy, liveCopy, desiredRedacted || liveRedacted));
    }

    private void AddUnreturned(JsonNode desired, bool secret, SchemaType? type = null)
    {
        if (!_collectUnreturned)
        {
            return;
        }

        if (secret)
        {
            (_unreturned ??= []).Add(new FieldDiff(_path.ToString(), SecretProperties.Marker(), null, Redacted: true));
            return;
        }

        var copy = Copy(desired, type, out var redacted);
        (_unreturned ??= []).Add(new FieldDiff(_path.ToString(), copy, null, redacted));
    }

    private JsonNode? Copy(JsonNode? node, SchemaType? type, out bool redacted)
    {
        var result = SecretProperties.Redact(node, _resourceType, out redacted);
        result = SchemaFlags.Redact(result, type, out var redactedBySchema);
        redacted |= redactedBySchema;

        // Diffs get their own nodes: a node has one parent, and callers serialize diffs into new documents.
        return redacted ? result : result?.DeepClone();
    }

    private static bool EnumEquals(JsonValue desired, JsonValue live, SchemaType? type) =>
        type is not null
        && desired.GetValueKind() == JsonValueKind.String && live.GetValueKind() == JsonValueKind.String
        && SchemaFlags.EnumEquals(type, desired.GetValue<string>(), live.GetValue<string>());

    private static JsonNode? Lookup(JsonObject obj, string key)
    {
        if (obj.TryGetPropertyValue(key, out var value))
        {
            return value;
        }

        for (var i = 0; i < obj.Count; i++)
        {
            var (candidate, candidateValue) = obj.GetAt(i);
            if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidateValue;
            }
        }

        return null;
    }

    private static bool HasKey(JsonObject obj, string key)
    {
        if (obj.ContainsKey(key))
        {
            return true;
        }

        for (var i = 0; i < obj.Count; i++)
        {
            if (string.Equals(obj.GetAt(i).Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNamedArray(JsonArray array)
    {
        if (array.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject obj || NameOf(obj) is null)
            {
                return false;
            }
        }

        return true;
    }

    private static string? NameOf(JsonObject obj) =>
        obj.TryGetPropertyValue(NameKey, out var name) && name is JsonValue value
        && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;

    private static bool IsEmptyTags(JsonNode node) =>
        node is JsonObject { Count: 0 } or JsonArray { Count: 0 }
        || (node is JsonValue value && (value.GetValueKind() == JsonValueKind.Null
            || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0)));

    private static bool IsNull(JsonNode? node) =>
        node is null || (node is JsonValue value && value.GetValueKind() == JsonValueKind.Null);

    private static bool IsEmptyContainer(JsonNode node) =>
        node is JsonObject { Count: 0 } or JsonArray { Count: 0 };
}
