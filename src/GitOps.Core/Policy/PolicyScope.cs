using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>
/// A rule's <c>appliesTo</c>: which resources and environments it checks. An empty list means "all".
/// </summary>
/// <param name="Types">Resource type globs without api-version (<c>Microsoft.Storage/*</c>), compared ignoring case.</param>
/// <param name="Environments">Environment names, exact as written in <c>gitops.yaml</c>.</param>
public sealed record PolicyScope(IReadOnlyList<string> Types, IReadOnlyList<string> Environments)
{
    /// <summary>Every resource in every environment.</summary>
    public static PolicyScope Everything { get; } = new([], []);

    /// <summary>True when the rule checks <paramref name="resource"/> in <paramref name="environment"/>.</summary>
    public bool Includes(DeclaredResource resource, string? environment)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (Environments.Count > 0 && !Environments.Contains(environment ?? string.Empty, StringComparer.Ordinal))
        {
            return false;
        }

        return Types.Count == 0 || Types.Any(glob => TypeGlob.IsMatch(glob, resource.Type));
    }
}
