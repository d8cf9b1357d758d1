using GitOps.Core.Ports;

namespace GitOps.Core.Manifests;

/// <summary>
/// Loads <c>gitops.yaml</c> and the resource documents of an environment from a file tree, expands variables and
/// references, and validates everything, reporting all problems of a run together.
/// </summary>
public sealed class ManifestLoader
{
    /// <summary>The name of the environments file at the root of a config repository.</summary>
    public const string ConfigFileName = "gitops.yaml";

    /// <summary>Creates a loader.</summary>
    public ManifestLoader(ManifestLimits? limits = null) => Limits = limits ?? ManifestLimits.Default;

    /// <summary>The limits in force.</summary>
    public ManifestLimits Limits { get; }

    /// <summary>
    /// Reads <c>gitops.yaml</c>; a tree without one is a single implicit environment built from <paramref name="implicitEnvironment"/>.
    /// </summary>
    public ConfigLoadResult LoadConfig(IFileTree tree, ImplicitEnvironment? implicitEnvironment = null) =>
        throw new NotImplementedException("loader: in progress");

    /// <summary>Loads, expands and validates the resource documents of one environment.</summary>
    public EnvironmentLoadResult LoadEnvironment(IFileTree tree, EnvironmentDefinition environment) =>
        throw new NotImplementedException("loader: in progress");
}
