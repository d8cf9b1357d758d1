using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Pointers;

namespace GitOps.Core.Policy;

/// <summary>
/// <c>assert</c>: a condition on the value at a JSON pointer into the request body (<c>/properties/minimumTlsVersion</c>,
/// <c>/sku/tier</c>). Values are compared as JSON: the text <c>"1"</c> is not the number <c>1</c>, and text is compared
/// exactly.
/// </summary>
/// <param name="Path">An RFC 6901 pointer into the body.</param>
/// <param name="Operator">The condition.</param>
/// <param name="Values">The operand(s): one for equals and not, several for oneOf, none for exists and absent.</param>
public sealed record PropertyAssertion(string Path, AssertionOperator Operator, IReadOnlyList<JsonNode?> Values) : PolicyCheck
{
    /// <inheritdoc />
    public override string Kind => "assert";

    /// <inheritdoc />
    internal override IEnumerable<PolicyFinding> Check(DeclaredResource resource)
    {
        var found = JsonPointer.TryFind(resource.Body, Path, out var actual);
        var problem = Operator switch
        {
            AssertionOperator.Exists when !found => $"{Path} is not set",
            AssertionOperator.Absent when found => $"{Path} is set, and must not be",
            AssertionOperator.EqualTo or AssertionOperator.OneOf when !found => $"{Path} is not set (required: {Expected()})",
            AssertionOperator.EqualTo or AssertionOperator.OneOf when !Values.Any(v => JsonNode.DeepEquals(v, actual)) =>
                $"{Path} is {Shown(resource, actual)} (required: {Expected()})",
            AssertionOperator.Not when found && JsonNode.DeepEquals(Values[0], actual) => $"{Path} is {Shown(resource, actual)}, which is not allowed",
            _ => null,
        };
        if (problem is not null)
        {
            yield return new PolicyFinding(Path, problem, Operator switch
            {
                AssertionOperator.Absent => $"Remove {Path}.",
                AssertionOperator.Not => $"Set {Path} to another value.",
                AssertionOperator.Exists => $"Declare {Path}.",
                _ => $"Set {Path} to {Expected()}.",
            });
        }
    }

    private string Expected() => Operator == AssertionOperator.OneOf
        ? "one of " + string.Join(", ", Values.Select(PolicyValues.Display))
        : PolicyValues.Display(Values[0]);

    // A literal secret in git is bad enough; a policy message must not copy it into logs and run records.
    private string Shown(DeclaredResource resource, JsonNode? actual)
    {
        if (JsonPointer.TryParse(Path, out var segments) && segments.Any(s => SecretProperties.IsSecret(resource.Type, s)))
        {
            return SecretProperties.RedactedMarker;
        }

        return PolicyValues.Display(SecretProperties.Redact(actual, resource.Type, out _));
    }
}
