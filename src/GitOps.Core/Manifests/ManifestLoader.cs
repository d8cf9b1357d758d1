using GitOps.Core.Manifests.Config;
using GitOps.Core.Manifests.Expressions;
using GitOps.Core.Manifests.Resources;
using GitOps.Core.Manifests.Yaml;
using GitOps.Core.Ports;

namespace GitOps.Core.Manifests;

/// <summary>
/// Loads <c>gitops.yaml</c> and the resource documents of an environment from a file tree, expands variables and
/// references, and validates everything, reporting all problems of a run together.
/// </summary>
/// <remarks>
/// The format is described, with a complete sample repository, in <c>examples/README.md</c>. A loader holds no state between calls and is safe to share.
/// </remarks>
public sealed class ManifestLoader
{
    /// <summary>The name of the environments file at the root of a config repository.</summary>
    public const string ConfigFileName = "gitops.yaml";

    /// <summary>
    /// The files that configure a repository rather than declare resources (<see cref="ConfigFileName"/> and
    /// <see cref="Policy.PolicySet.FileName"/>): read at the root whatever an environment's folder, never loaded as
    /// manifests, and a change to one concerns every environment.
    /// </summary>
    public static IReadOnlyList<string> ConfigurationFileNames { get; } = [ConfigFileName, Policy.PolicySet.FileName];

    private readonly ExpressionExpander _expander = ExpressionExpander.Default;

    /// <summary>Creates a loader.</summary>
    /// <param name="limits">The limits; the defaults when null.</param>
    /// <param name="types">
    /// The resource type catalogue bodies are checked against (GO1016–GO1020); null checks only our own rules, as before
    /// the catalogue existed.
    /// </param>
    public ManifestLoader(ManifestLimits? limits = null, IResourceTypeCatalog? types = null)
    {
        Limits = limits ?? ManifestLimits.Default;
        Types = types;
    }

    /// <summary>The resource type catalogue, if any.</summary>
    public IResourceTypeCatalog? Types { get; }

    /// <summary>The limits in force.</summary>
    public ManifestLimits Limits { get; }

    /// <summary>
    /// Reads <c>gitops.yaml</c>; a tree without one is a single implicit environment built from <paramref name="implicitEnvironment"/>.
    /// </summary>
    public ConfigLoadResult LoadConfig(IFileTree tree, ImplicitEnvironment? implicitEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var diagnostics = new List<Diagnostic>();
        if (!tree.FileExists(ConfigFileName))
        {
            return LoadImplicit(tree, implicitEnvironment, diagnostics);
        }

        var size = tree.GetFileSize(ConfigFileName);
        if (size > Limits.MaxFileBytes)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.LimitExceeded, SourceLocation.OfFile(ConfigFileName),
                $"'{ConfigFileName}' is {size} bytes; the limit is {Limits.MaxFileBytes} bytes.",
                "An environments file is a few hundred bytes; check that the right file is committed."));
            return new ConfigLoadResult([], diagnostics, IsImplicit: false);
        }

        var documents = YamlFileReader.Read(ConfigFileName, tree.ReadFile(ConfigFileName), Limits, diagnostics);
        var environments = diagnostics.Count == 0 || documents.Count > 0
            ? new ConfigFileReader(ConfigFileName, diagnostics).Read(documents)
            : [];
        return new ConfigLoadResult(environments, SourceLocationOrder.Sort(diagnostics), IsImplicit: false);
    }

    /// <summary>Loads, expands and validates the resource documents of one environment.</summary>
    public EnvironmentLoadResult LoadEnvironment(IFileTree tree, EnvironmentDefinition environment)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(environment);
        return new EnvironmentLoader(Limits, _expander, Types).Load(tree, environment);
    }

    /// <summary>
    /// Reads the repository's policy rules (<c>gitops.policy.yaml</c> at the root; none when it is absent). Evaluate them
    /// against an environment's resources with <see cref="Policy.PolicyEvaluator.Evaluate"/>.
    /// </summary>
    public Policy.PolicyLoadResult LoadPolicy(IFileTree tree) => new Policy.PolicyLoader(Limits).Load(tree);

    private static ConfigLoadResult LoadImplicit(IFileTree tree, ImplicitEnvironment? implicitEnvironment, List<Diagnostic> diagnostics)
    {
        var source = implicitEnvironment ?? new ImplicitEnvironment(null, new Dictionary<string, string>(StringComparer.Ordinal));
        var location = SourceLocation.OfFile(".");
        if (tree.FileExists("gitops.yml"))
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.UnknownField, SourceLocation.OfFile("gitops.yml"),
                "'gitops.yml' is not read: the environments file is 'gitops.yaml'. The folder is loaded as one implicit environment.",
                "Rename it to gitops.yaml."));
        }

        if (source.SubscriptionId is not null && !Guid.TryParseExact(source.SubscriptionId, "D", out _))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, location,
                $"The subscription '{source.SubscriptionId}' is not a GUID.",
                "Pass the subscription id as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (az account show --query id)."));
        }

        var environment = new EnvironmentDefinition
        {
            Name = source.Name,
            Path = string.Empty,
            SubscriptionId = source.SubscriptionId,
            Variables = new Dictionary<string, string>(source.Variables, StringComparer.Ordinal),
            Location = location,
        };
        return new ConfigLoadResult([environment], diagnostics, IsImplicit: true);
    }
}
