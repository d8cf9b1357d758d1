using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Cli.Output;

/// <summary>Short, human labels for resources and values in plan output (the full id is in JSON output).</summary>
internal static class ResourceLabel
{
    /// <summary>The ARM name (nested for children) and where it lives: <c>vnet-app/default (rg-app-prod)</c>.</summary>
    public static string Of(ResourceChange change) => Of(change.Id, change.Type, change.Desired);

    /// <summary>The label of a recorded change, sharpened by its declaration when known.</summary>
    /// <param name="change">The change.</param>
    /// <param name="desired">Its declaration, when known: the declared name and scope beat what the id suggests.</param>
    public static string Of(RecordedChange change, DeclaredResource? desired) => Of(change.Id, change.Type, desired);

    private static string Of(string id, string type, DeclaredResource? desired)
    {
        var name = desired?.Name ?? NameFromId(id, type);
        var group = GroupOf(id);
        var scope = desired?.Scope;
        if (scope == ResourceIds.TenantScope)
        {
            return $"{name} (tenant)";
        }

        if (scope is not null)
        {
            return $"{name} (on {scope[(scope.LastIndexOf('/') + 1)..]})";
        }

        return group is null || string.Equals(type, "Microsoft.Resources/resourceGroups", StringComparison.OrdinalIgnoreCase)
            ? name
            : $"{name} ({group})";
    }

    /// <summary>A compact JSON rendering of a value, cut at <paramref name="max"/> characters.</summary>
    public static string Value(JsonNode? value, bool redacted, int max = 80)
    {
        if (redacted)
        {
            return "(secret)";
        }

        if (value is null)
        {
            return "(absent)";
        }

        var text = value.ToJsonString();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static string? GroupOf(string id)
    {
        const string marker = "/resourceGroups/";
        var start = id.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = id.IndexOf('/', start);
        return end < 0 ? id[start..] : id[start..end];
    }

    private static string NameFromId(string id, string type)
    {
        // The name has one segment per type segment after the namespace: take every other segment from the end.
        var depth = Math.Max(1, type.Split('/').Length - 1);
        var segments = id.TrimEnd('/').Split('/');
        var names = new List<string>();
        for (var i = segments.Length - 1; i > 0 && names.Count < depth; i -= 2)
        {
            names.Insert(0, segments[i]);
        }

        return string.Join('/', names);
    }
}
