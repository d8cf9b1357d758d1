using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Which environments a repository declares: the <c>gitops.yaml</c> at the tip of the repository's default branch.
/// Trust comes from the default branch only (docs/architecture.md, "Trust model"), so an environment that exists only on
/// another branch or in a pushed commit is not declared. Operations on an environment (sync, suspend, resume) check
/// here first, so that a name nobody declared creates no state, run or job.
/// </summary>
/// <param name="source">The config repositories.</param>
/// <param name="limits">Manifest limits (the reconciler's, so both read <c>gitops.yaml</c> alike).</param>
public sealed class EnvironmentCatalog(IConfigSource source, ManifestLimits? limits = null)
{
    /// <summary>The longest plain name (<see cref="IsPlainName"/>): one storage key segment.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// True when <paramref name="name"/> is safe as one storage key or URL segment as it is: 1 to
    /// <see cref="MaxNameLength"/> ASCII letters, digits, '.', '_' or '-', and not '.' or '..'. Wider than the
    /// repository and environment name rule (<see cref="EnvironmentKeys.IsValidName"/>): it also admits run ids and
    /// api key names, and it guards the stores against keys that would escape their folder.
    /// </summary>
    /// <param name="name">The name to check.</param>
    public static bool IsPlainName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && name is not "." and not ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// Finds an environment declared at the tip of the repository's default branch.
    /// </summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="cancellationToken">Cancels the fetch and the read.</param>
    /// <returns>The definition, or null when that <c>gitops.yaml</c> does not declare it (or is invalid, in which case the
    /// reconciler would refuse it too).</returns>
    /// <exception cref="ArgumentException">A name no repository or environment can have (<see cref="EnvironmentKeys.IsValidName"/>).</exception>
    /// <exception cref="ConfigSourceException">The repository could not be read (unknown to the source, or git failed).</exception>
    public async Task<EnvironmentDefinition?> FindAsync(string repository, string environment, CancellationToken cancellationToken = default)
    {
        if (!EnvironmentKeys.IsValidName(repository))
        {
            throw new ArgumentException($"The repository name is not {EnvironmentKeys.NameRule}.", nameof(repository));
        }

        if (!EnvironmentKeys.IsValidName(environment))
        {
            throw new ArgumentException($"The environment name is not {EnvironmentKeys.NameRule}.", nameof(environment));
        }

        var (_, config) = await ReadAsync(repository, cancellationToken).ConfigureAwait(false);
        return config.HasErrors ? null : config.Find(environment);
    }

    /// <summary>
    /// Reads <c>gitops.yaml</c> at the tip of the repository's default branch: the one place the webhook fan-out, the
    /// drift timer and the api learn which environments exist.
    /// </summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="cancellationToken">Cancels the fetch and the read.</param>
    /// <returns>The default branch's tip and what its <c>gitops.yaml</c> declares (check <see cref="ConfigLoadResult.HasErrors"/>).</returns>
    /// <exception cref="ConfigSourceException">The repository could not be read.</exception>
    public async Task<(CommitInfo Tip, ConfigLoadResult Config)> ReadAsync(string repository, CancellationToken cancellationToken = default)
    {
        var tip = await source.ResolveAsync(repository, branch: null, commit: null, cancellationToken).ConfigureAwait(false);
        var root = await source.ReadAsync(repository, tip.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        return (tip, new ManifestLoader(limits).LoadConfig(root));
    }
}
