namespace GitOps.Core.Policy;

/// <summary>The rules of a config repository's <c>gitops.policy.yaml</c>, in file order.</summary>
/// <param name="Rules">The rules.</param>
public sealed record PolicySet(IReadOnlyList<PolicyRule> Rules)
{
    /// <summary>The name of the policy file at the root of a config repository.</summary>
    public const string FileName = "gitops.policy.yaml";

    /// <summary>No rules (a repository without a policy file).</summary>
    public static PolicySet Empty { get; } = new([]);
}
