using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Core.Policy;

/// <summary>
/// <c>allowedLocations</c>: a resource that declares a <c>location</c> must use one of these. Compared with ARM's
/// spelling rules (case and spaces ignored: <c>West Europe</c> is <c>westeurope</c>). Resources without a location
/// (child and extension resources) inherit their parent's and are not checked.
/// </summary>
/// <param name="Locations">The allowed locations as written in the policy.</param>
public sealed record AllowedLocationsCheck(IReadOnlyList<string> Locations) : PolicyCheck
{
    /// <inheritdoc />
    public override string Kind => "allowedLocations";

    /// <inheritdoc />
    internal override IEnumerable<PolicyFinding> Check(DeclaredResource resource)
    {
        if (!resource.Body.TryGetPropertyValue("location", out var node) || node is not JsonValue value
            || !value.TryGetValue<string>(out var location))
        {
            yield break;
        }

        if (!Locations.Any(allowed => ArmValueRules.NormalizedLocationEquals(allowed, location)))
        {
            yield return new PolicyFinding(
                "/location",
                $"location '{location}' is not allowed (allowed: {string.Join(", ", Locations)})",
                "Deploy to one of the allowed locations.");
        }
    }
}
