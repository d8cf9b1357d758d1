using System.Globalization;
using System.Text.RegularExpressions;

namespace GitOps.Core.Manifests.Resources;

/// <summary>A parsed <c>type</c> field: <c>Namespace/type[/child...]@api-version</c>.</summary>
/// <param name="Type">The type without api-version, e.g. <c>Microsoft.Network/virtualNetworks/subnets</c>.</param>
/// <param name="ApiVersion">The api-version, e.g. <c>2024-05-01</c> or <c>2024-05-01-preview</c>.</param>
internal sealed partial record ResourceTypeName(string Type, string ApiVersion)
{
    /// <summary>Segments after the namespace: the number of name segments the resource needs.</summary>
    public int NameSegments => Type.Count(c => c == '/');

    /// <summary>True for <c>Microsoft.Resources/resourceGroups</c>.</summary>
    public bool IsResourceGroup => string.Equals(Type, ResourceIds.ResourceGroupType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The segment types after the namespace, e.g. <c>virtualNetworks</c>, <c>subnets</c>.</summary>
    public IReadOnlyList<string> TypeSegments => Type.Split('/')[1..];

    /// <summary>Parses a type field, or explains what is wrong with it.</summary>
    public static ResourceTypeName? Parse(string text, out string? error)
    {
        error = null;
        var at = text.IndexOf('@');
        if (at < 0)
        {
            error = $"type '{text}' has no api-version";
            return null;
        }

        var type = text[..at];
        var apiVersion = text[(at + 1)..];
        if (!TypePattern().IsMatch(type))
        {
            error = type.Contains('/')
                ? $"'{type}' is not a resource type (Namespace/type[/childType...], letters and digits)"
                : $"'{type}' has no provider namespace";
            return null;
        }

        var match = ApiVersionPattern().Match(apiVersion);
        if (!match.Success
            || !DateOnly.TryParseExact(match.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            error = $"api-version '{apiVersion}' is not yyyy-mm-dd with an optional -preview, -beta or -privatepreview suffix";
            return null;
        }

        return new ResourceTypeName(type, apiVersion);
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+(/[A-Za-z][A-Za-z0-9]*)+$")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})(-(preview|beta|alpha|privatepreview))?$")]
    private static partial Regex ApiVersionPattern();
}
