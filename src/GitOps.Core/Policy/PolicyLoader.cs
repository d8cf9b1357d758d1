using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;
using GitOps.Core.Ports;

namespace GitOps.Core.Policy;

/// <summary>
/// Reads <c>gitops.policy.yaml</c> from the root of a config repository. A repository without one has no rules. The
/// format is described in <c>examples/README.md</c>. Holds no state between calls and is safe to share.
/// </summary>
public sealed class PolicyLoader
{
    /// <summary>Creates a loader.</summary>
    public PolicyLoader(ManifestLimits? limits = null) => Limits = limits ?? ManifestLimits.Default;

    /// <summary>The limits in force (file size, nesting depth, aliases).</summary>
    public ManifestLimits Limits { get; }

    /// <summary>Reads the policy file of <paramref name="tree"/>.</summary>
    public PolicyLoadResult Load(IFileTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        const string File = PolicySet.FileName;
        if (!tree.FileExists(File))
        {
            return new PolicyLoadResult(PolicySet.Empty, [], IsDeclared: false);
        }

        var diagnostics = new List<Diagnostic>();
        var size = tree.GetFileSize(File);
        if (size > Limits.MaxFileBytes)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.LimitExceeded, SourceLocation.OfFile(File),
                $"'{File}' is {size} bytes; the limit is {Limits.MaxFileBytes} bytes.",
                "A policy file is a few kilobytes; check that the right file is committed."));
            return new PolicyLoadResult(PolicySet.Empty, diagnostics, IsDeclared: true);
        }

        var documents = YamlFileReader.Read(File, tree.ReadFile(File), Limits, diagnostics);
        var rules = diagnostics.Count == 0 || documents.Count > 0
            ? new PolicyFileReader(File, diagnostics).Read(documents)
            : [];
        return new PolicyLoadResult(new PolicySet(rules), SourceLocationOrder.Sort(diagnostics), IsDeclared: true);
    }

    /// <summary>
    /// Warns about <c>appliesTo.environments</c> names that <c>gitops.yaml</c> does not declare: a typo there would
    /// silently switch a rule off.
    /// </summary>
    /// <param name="policy">The rules.</param>
    /// <param name="environments">The names of the declared environments.</param>
    public static IReadOnlyList<Diagnostic> CheckEnvironmentNames(PolicySet policy, IReadOnlyCollection<string> environments)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environments);
        var diagnostics = new List<Diagnostic>();
        foreach (var rule in policy.Rules)
        {
            foreach (var name in rule.AppliesTo.Environments.Where(n => !environments.Contains(n, StringComparer.Ordinal)))
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.UnknownEnvironment, rule.Location,
                    $"Policy rule '{rule.Name}' applies to environment '{name}', which {ManifestLoader.ConfigFileName} does not declare{Suggestions.DidYouMean(name, environments)}",
                    $"The rule never checks it. Declared environments: {string.Join(", ", environments)}."));
            }
        }

        return diagnostics;
    }
}
