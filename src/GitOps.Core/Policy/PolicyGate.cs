using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Policy;

/// <summary>
/// The policy check every run makes before it observes (reconcile runs and previews): the rules are read from the
/// default branch's tree, never from the commit being checked, and evaluated against the declared resources.
/// </summary>
internal static class PolicyGate
{
    /// <summary>Loads the rules from <paramref name="definitions"/> and evaluates them.</summary>
    /// <param name="limits">Read limits.</param>
    /// <param name="definitions">The default branch's tree, which holds the policy file.</param>
    /// <param name="environment">The environment the resources belong to.</param>
    /// <param name="resources">The declared resources.</param>
    public static PolicyGateResult Check(ManifestLimits limits, IFileTree definitions, string environment, IReadOnlyList<DeclaredResource> resources)
    {
        var policy = new ManifestLoader(limits).LoadPolicy(definitions);
        if (policy.HasErrors)
        {
            return new PolicyGateResult(policy.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList(), [], []);
        }

        var violations = PolicyEvaluator.Evaluate(policy.Policy, environment, resources);
        return new PolicyGateResult([], violations.Where(v => !v.IsDenied).ToList(), violations.Where(v => v.IsDenied).ToList());
    }
}

/// <summary>What <see cref="PolicyGate.Check"/> found.</summary>
/// <param name="FileErrors">Errors of the policy file itself (then nothing was evaluated).</param>
/// <param name="Warnings">Violations of rules that warn.</param>
/// <param name="Denied">Violations of rules that deny.</param>
internal sealed record PolicyGateResult(IReadOnlyList<string> FileErrors, IReadOnlyList<PolicyViolation> Warnings, IReadOnlyList<PolicyViolation> Denied)
{
    /// <summary>The names of the denying rules, each once, comma-separated.</summary>
    public string DeniedRules => string.Join(", ", Denied.Select(v => v.Rule.Name).Distinct(StringComparer.Ordinal));
}
