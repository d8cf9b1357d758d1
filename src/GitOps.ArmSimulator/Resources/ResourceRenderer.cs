using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Normalization;

namespace GitOps.ArmSimulator.Resources;

/// <summary>Produces the body a GET returns from a stored resource. Call with the store's lock held.</summary>
internal static class ResourceRenderer
{
    public static JsonObject Render(StoredResource resource, ResourceStore store)
    {
        var body = (JsonObject)resource.Body.DeepClone();
        JsonEdit.Object(body, "properties")["provisioningState"] = resource.ProvisioningState;
        if (string.Equals(resource.Type, "Microsoft.Network/virtualNetworks", StringComparison.OrdinalIgnoreCase))
        {
            InlineSubnets(resource, body, store);
        }

        return body;
    }

    /// <summary>A vnet GET lists its subnets inline, including those created as separate child resources (docs/arm-protocol.md §7.8).</summary>
    private static void InlineSubnets(StoredResource vnet, JsonObject body, ResourceStore store)
    {
        var properties = JsonEdit.Object(body, "properties");
        if (properties["subnets"] is not JsonArray subnets)
        {
            subnets = [];
            properties["subnets"] = subnets;
        }

        var inline = new HashSet<string>(subnets.OfType<JsonObject>().Select(s => JsonEdit.String(s, "name") ?? string.Empty),
            StringComparer.OrdinalIgnoreCase);
        var prefix = vnet.Key + "/subnets/";
        foreach (var child in store.All.Where(r => r.Visible && r.Key.StartsWith(prefix, StringComparison.Ordinal)
                     && r.Key.IndexOf('/', prefix.Length) < 0).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (inline.Add(JsonEdit.String(child.Body, "name") ?? string.Empty))
            {
                var rendered = Render(child, store);
                rendered.Remove("systemData");
                subnets.Add(rendered);
            }
        }
    }
}
