using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>
/// Runs the rules of a <see cref="PolicySet"/> over an environment's declared resources. Pure: no I/O, the same answer
/// for the same input, so <c>gitops validate</c>, <c>gitops plan</c> and the reconciler (before observing, so a denied
/// run reads and writes nothing in Azure) judge a commit identically.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Every violation, by resource (in declaration order) then rule (in file order).</summary>
    /// <param name="policy">The rules.</param>
    /// <param name="environment">The environment name, for rules with <c>appliesTo.environments</c>.</param>
    /// <param name="resources">The declared resources, as loaded (with their field locations).</param>
    public static IReadOnlyList<PolicyViolation> Evaluate(PolicySet policy, string? environment, IReadOnlyList<DeclaredResource> resources)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resources);
        var violations = new List<PolicyViolation>();
        foreach (var resource in resources)
        {
            foreach (var rule in policy.Rules)
            {
                if (!rule.AppliesTo.Includes(resource, environment))
                {
                    continue;
                }

                foreach (var finding in rule.Check.Check(resource))
                {
                    violations.Add(new PolicyViolation(rule, resource, Locate(resource, finding.Pointer), finding.Problem, finding.Hint));
                }
            }
        }

        return violations;
    }

    /// <summary>The diagnostics of <see cref="Evaluate"/>: errors for deny rules, warnings for warn rules.</summary>
    public static IReadOnlyList<Diagnostic> Check(PolicySet policy, string? environment, IReadOnlyList<DeclaredResource> resources) =>
        Evaluate(policy, environment, resources).Select(v => v.Diagnostic).ToList();

    // The field's own line when it is declared, else its nearest declared parent (a missing /tags/owner points at
    // /tags), else the document start.
    private static SourceLocation Locate(DeclaredResource resource, string pointer)
    {
        for (var path = pointer; path.Length > 0; path = path[..path.LastIndexOf('/')])
        {
            if (resource.FieldLocations.TryGetValue(path, out var location))
            {
                return location;
            }
        }

        return resource.Location;
    }
}
