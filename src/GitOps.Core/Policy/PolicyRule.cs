using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>One rule of <c>gitops.policy.yaml</c>: a name, a severity, the resources it covers and exactly one check.</summary>
/// <param name="Name">The rule's name, unique in the file; every violation names it.</param>
/// <param name="Severity">Deny (blocks) or warn (recorded).</param>
/// <param name="AppliesTo">Which resources and environments it checks.</param>
/// <param name="Check">What it checks.</param>
/// <param name="Location">Where the rule is written (its list item in the policy file).</param>
/// <param name="Description">Why the rule exists, in the author's words; shown with every violation.</param>
public sealed record PolicyRule(
    string Name,
    PolicySeverity Severity,
    PolicyScope AppliesTo,
    PolicyCheck Check,
    SourceLocation Location,
    string? Description = null);
