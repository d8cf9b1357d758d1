using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Routing;

/// <summary>
/// ARM's paging of list responses: at most <see cref="ArmSimulatorOptions.ListPageSize"/> items (or <c>$top</c>) per
/// page, then a <c>nextLink</c> back to the same path with a <c>$skiptoken</c>. The token is the key of the last item
/// served, so a page boundary stays put when resources are created or deleted between pages, as ARM's do.
/// </summary>
internal static class ListPage
{
    /// <summary>One page of <paramref name="items"/>, which must be ordered by their (lower-case, unique) keys.</summary>
    public static ArmResponse Of<T>(ArmRequest request, int pageSize, IEnumerable<T> items, Func<T, string> keyOf, Func<T, JsonNode> render)
    {
        var size = Math.Max(1, pageSize);
        if (request.Query.TryGetValue("$top", out var topText))
        {
            if (!int.TryParse(topText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var top) || top < 1)
            {
                return ArmErrors.InvalidListQuery($"The value '{topText}' of $top is not a positive integer.");
            }

            size = Math.Min(size, top);
        }

        string? after = null;
        if (request.Query.TryGetValue("$skiptoken", out var token))
        {
            after = Decode(token);
            if (after is null)
            {
                return ArmErrors.InvalidListQuery("The $skiptoken is not one this list issued; start again from the first page.");
            }
        }

        var value = new JsonArray();
        string? last = null;
        var more = false;
        foreach (var item in items)
        {
            var key = keyOf(item);
            if (after is not null && string.CompareOrdinal(key, after) <= 0)
            {
                continue;
            }

            if (value.Count == size)
            {
                more = true;
                break;
            }

            value.Add(render(item));
            last = key;
        }

        var page = new JsonObject { ["value"] = value };
        if (more)
        {
            var query = $"?api-version={Uri.EscapeDataString(request.ApiVersion)}&$skiptoken={Encode(last!)}";
            if (topText is not null)
            {
                query += $"&$top={size}";
            }

            page["nextLink"] = request.BaseUri + request.RawPath + query;
        }

        return new ArmResponse(200, page);
    }

    private static string Encode(string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
