using System.Text.Json.Nodes;
using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>
/// <c>allowedSkus</c>: per resource type (glob), the SKU names (<c>sku.name</c>, ignoring case as ARM does) a resource
/// may use. A resource of a listed type that declares no <c>sku.name</c> violates the rule: ARM would pick a default
/// the rule did not allow.
/// </summary>
/// <param name="Skus">Type glob to allowed SKU names, in file order; the first matching glob decides.</param>
public sealed record AllowedSkusCheck(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Skus) : PolicyCheck
{
    /// <inheritdoc />
    public override string Kind => "allowedSkus";

    /// <inheritdoc />
    internal override IEnumerable<PolicyFinding> Check(DeclaredResource resource)
    {
        var entry = Skus.FirstOrDefault(s => TypeGlob.IsMatch(s.Key, resource.Type));
        if (entry.Key is null)
        {
            yield break;
        }

        var allowed = string.Join(", ", entry.Value);
        var sku = PolicyValues.Text((resource.Body["sku"] as JsonObject)?["name"]);
        if (sku is null)
        {
            yield return new PolicyFinding("/sku/name", $"declares no sku.name (allowed: {allowed})", $"Add sku: {{ name: {entry.Value.FirstOrDefault()} }}.");
        }
        else if (!entry.Value.Contains(sku, StringComparer.OrdinalIgnoreCase))
        {
            yield return new PolicyFinding("/sku/name", $"SKU '{sku}' is not allowed (allowed: {allowed})", "Use one of the allowed SKUs.");
        }
    }
}
