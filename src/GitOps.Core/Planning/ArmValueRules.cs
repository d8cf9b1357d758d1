using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Manifests;

namespace GitOps.Core.Planning;

/// <summary>
/// When a declared scalar equals the scalar ARM returns (docs/arm-protocol.md §7). Everything not listed compares
/// exactly, because a lenient rule hides real drift.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Locations (<c>/location</c> and properties named <c>location</c> or <c>locationName</c>): lower-case, spaces
/// removed (<c>Japan East</c> == <c>japaneast</c>; SQL server example).</item>
/// <item>Strings that look like ARM ids: case-insensitive (<c>resourcegroups</c>, lower-cased providers).</item>
/// <item>Role definition ids: equal when their trailing GUIDs are, since built-in roles come back tenant-scoped
/// (role assignment example).</item>
/// <item>Resource type values (<c>Namespace.Provider/type</c>): case-insensitive.</item>
/// <item>ISO 8601 durations: by value (<c>PT60S</c> == <c>PT1M</c>).</item>
/// <item>Numbers: by value (<c>1</c> == <c>1.0</c>). Booleans: exactly. Different JSON kinds never match.</item>
/// <item>Service versions (<c>redisVersion</c>, <c>kubernetesVersion</c>, <c>orchestratorVersion</c>): a declared
/// <c>4</c> matches a live <c>4.0.14</c>: the service resolves a partial version to the latest patch
/// (Redis <c>RedisCacheCreate.json</c> example: request <c>"4"</c>, response <c>"4.0.14"</c>), and a declared
/// empty version matches whatever default the service chose (AKS <c>ManagedClustersCreate_Premium.json</c>:
/// <c>kubernetesVersion: ""</c> comes back <c>"1.9.6"</c>).</item>
/// </list>
/// <para>Why each rule stays now that the resource type catalogue types every body: the catalogue describes what may
/// be sent, not how the service echoes it back. Locations, ids, resource type values and durations are plain strings
/// there (no format survives into the Bicep types), so it cannot say that <c>West Europe</c> is <c>westeurope</c>;
/// service versions are plain strings too; and number kinds are not reliable (the generator maps <c>number</c> to
/// integer). The one normalization the catalogue adds is enum casing (<see cref="SchemaFlags.EnumEquals"/>).</para>
/// </remarks>
internal static class ArmValueRules
{
    private const string RoleDefinitionsSegment = "/providers/Microsoft.Authorization/roleDefinitions/";

    private static readonly FrozenSet<string> LocationNames =
        new[] { "location", "locationName" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> VersionPrefixNames =
        new[] { "redisVersion", "kubernetesVersion", "orchestratorVersion" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a declared scalar and a live scalar mean the same value.</summary>
    /// <param name="desired">The declared value (a JSON string, number or boolean).</param>
    /// <param name="live">The live value.</param>
    /// <param name="propertyName">The name of the property holding the value (of the array, for array items).</param>
    public static bool ScalarEquals(JsonValue desired, JsonValue live, string? propertyName)
    {
        var desiredKind = desired.GetValueKind();
        var liveKind = live.GetValueKind();
        switch (desiredKind)
        {
            case JsonValueKind.String when liveKind == JsonValueKind.String:
                return ExactStringWithoutCopy(desired, live)
                    || StringEquals(desired.GetValue<string>(), live.GetValue<string>(), propertyName);
            case JsonValueKind.Number when liveKind == JsonValueKind.Number:
                return NumberEquals(desired, live);
            case JsonValueKind.True or JsonValueKind.False:
                return desiredKind == liveKind;
            default:
                return desiredKind == liveKind && desiredKind == JsonValueKind.Null;
        }
    }

    /// <summary>
    /// Most declared strings equal the live ones exactly; checking that on the parsed UTF-8 avoids materializing a
    /// string per compared field (live bodies are parsed, so <c>GetValue&lt;string&gt;</c> would allocate).
    /// </summary>
    private static bool ExactStringWithoutCopy(JsonValue desired, JsonValue live)
    {
        if (!live.TryGetValue<JsonElement>(out var liveElement))
        {
            return false;
        }

        if (desired.TryGetValue<JsonElement>(out var desiredElement))
        {
            return JsonElement.DeepEquals(desiredElement, liveElement);
        }

        return desired.TryGetValue<string>(out var text) && liveElement.ValueEquals(text);
    }

    /// <summary>The string rules; see the type remarks.</summary>
    public static bool StringEquals(string desired, string live, string? propertyName)
    {
        if (string.Equals(desired, live, StringComparison.Ordinal))
        {
            return true;
        }

        if (propertyName is not null && LocationNames.Contains(propertyName))
        {
            return NormalizedLocationEquals(desired, live);
        }

        if (ResourceIds.LooksLikeId(desired) && ResourceIds.LooksLikeId(live))
        {
            return IdEquals(desired, live);
        }

        if (LooksLikeResourceType(desired) && LooksLikeResourceType(live))
        {
            return string.Equals(desired, live, StringComparison.OrdinalIgnoreCase);
        }

        if (propertyName is not null && VersionPrefixNames.Contains(propertyName))
        {
            // An empty version asks the service for its default, which it then reports.
            return desired.Length == 0
                || (live.Length > desired.Length && live.StartsWith(desired, StringComparison.Ordinal) && live[desired.Length] == '.');
        }

        return desired.Length > 1 && live.Length > 1
            && (desired[0] == 'P' || desired[0] == '-') && (live[0] == 'P' || live[0] == '-')
            && IsoDuration.TryParse(desired, out var a) && IsoDuration.TryParse(live, out var b) && a == b;
    }

    /// <summary>Two ARM ids: case-insensitive, role definitions by their GUID.</summary>
    public static bool IdEquals(string desired, string live)
    {
        if (string.Equals(desired, live, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var desiredRole = desired.IndexOf(RoleDefinitionsSegment, StringComparison.OrdinalIgnoreCase);
        var liveRole = live.IndexOf(RoleDefinitionsSegment, StringComparison.OrdinalIgnoreCase);
        if (desiredRole < 0 || liveRole < 0)
        {
            return false;
        }

        // Only the GUID identifies a role definition: built-in roles are tenant-scoped, and ARM answers with
        // /providers/... even when the request named /subscriptions/<id>/providers/....
        var desiredGuid = desired.AsSpan(desiredRole + RoleDefinitionsSegment.Length).TrimEnd('/');
        var liveGuid = live.AsSpan(liveRole + RoleDefinitionsSegment.Length).TrimEnd('/');
        return desiredGuid.IndexOf('/') < 0 && desiredGuid.Equals(liveGuid, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Location spelling: lower-case with spaces removed (<c>West Europe</c> == <c>westeurope</c>).</summary>
    public static bool NormalizedLocationEquals(string a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && a[i] == ' ')
            {
                i++;
            }

            while (j < b.Length && b[j] == ' ')
            {
                j++;
            }

            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length;
            }

            if (char.ToLowerInvariant(a[i]) != char.ToLowerInvariant(b[j]))
            {
                return false;
            }

            i++;
            j++;
        }
    }

    private static bool LooksLikeResourceType(string value)
    {
        // Namespace.Provider/type[/child...]: a dot before the first slash, no spaces, not an id or a URL.
        var slash = value.IndexOf('/');
        return slash > 0
            && value.AsSpan(0, slash).Contains('.')
            && !value.Contains(' ', StringComparison.Ordinal)
            && !value.Contains(':', StringComparison.Ordinal)
            && slash < value.Length - 1;
    }

    private static bool NumberEquals(JsonValue desired, JsonValue live)
    {
        if (TryGetDecimal(desired, out var a) && TryGetDecimal(live, out var b))
        {
            return a == b;
        }

        return TryGetDouble(desired, out var x) && TryGetDouble(live, out var y) && x.Equals(y);
    }

    private static bool TryGetDecimal(JsonValue value, out decimal result)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.TryGetDecimal(out result);
        }

        if (value.TryGetValue(out result))
        {
            return true;
        }

        if (value.TryGetValue<long>(out var l))
        {
            result = l;
            return true;
        }

        if (value.TryGetValue<int>(out var i))
        {
            result = i;
            return true;
        }

        if (value.TryGetValue<double>(out var d) && double.IsFinite(d) && Math.Abs(d) < 7.9e28)
        {
            result = (decimal)d;
            return true;
        }

        if (value.TryGetValue<float>(out var f) && float.IsFinite(f) && Math.Abs(f) < 7.9e28f)
        {
            result = (decimal)f;
            return true;
        }

        result = 0;
        return false;
    }

    private static bool TryGetDouble(JsonValue value, out double result)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.TryGetDouble(out result);
        }

        if (value.TryGetValue(out result))
        {
            return true;
        }

        // Integral and other numeric CLR values: the JSON text is the exact value.
        return double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out result);
    }
}
