using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>What a rule checks. Each rule has exactly one check; the kinds are the subtypes of this record.</summary>
public abstract record PolicyCheck
{
    private protected PolicyCheck()
    {
    }

    /// <summary>The field name of this kind in <c>gitops.policy.yaml</c> (<c>allowedLocations</c>, <c>assert</c>...).</summary>
    public abstract string Kind { get; }

    /// <summary>The problems of one resource; empty when it complies.</summary>
    internal abstract IEnumerable<PolicyFinding> Check(DeclaredResource resource);
}

/// <summary>One problem a check found in a resource.</summary>
/// <param name="Pointer">The JSON pointer of the offending field (its line is reported), or the empty pointer for the whole document.</param>
/// <param name="Problem">What is wrong, naming the value.</param>
/// <param name="Hint">What to do about it.</param>
internal readonly record struct PolicyFinding(string Pointer, string Problem, string Hint);
