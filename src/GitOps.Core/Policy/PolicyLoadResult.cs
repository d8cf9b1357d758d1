using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>The result of reading <c>gitops.policy.yaml</c>.</summary>
/// <param name="Policy">The rules that were read without errors (<see cref="PolicySet.Empty"/> when the file is absent).</param>
/// <param name="Diagnostics">Every problem found in the file.</param>
/// <param name="IsDeclared">True when the repository has a policy file.</param>
public sealed record PolicyLoadResult(PolicySet Policy, IReadOnlyList<Diagnostic> Diagnostics, bool IsDeclared)
{
    /// <summary>True when any diagnostic is an error; callers must not evaluate a policy that failed to load.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
