using GitOps.Core.Manifests;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using GitOps.Schemas;

namespace GitOps.Cli.Workspace;

/// <summary>
/// Loads a local config folder the way every command needs it: <c>gitops.yaml</c> (or the implicit environment),
/// the policy rules (<c>gitops.policy.yaml</c>), the chosen environment(s) checked against them, and every diagnostic,
/// printed with paths the user can open.
/// </summary>
internal sealed class ConfigWorkspace
{
    private ConfigWorkspace(string root, IFileTree tree, ConfigLoadResult config, PolicyLoadResult policy, IReadOnlyList<EnvironmentLoadResult> environments)
    {
        Root = root;
        Tree = tree;
        Config = config;
        Policy = policy;
        Environments = environments;
    }

    /// <summary>The folder as the user named it.</summary>
    public string Root { get; }

    /// <summary>The files.</summary>
    public IFileTree Tree { get; }

    /// <summary>The environments file.</summary>
    public ConfigLoadResult Config { get; }

    /// <summary>The policy rules.</summary>
    public PolicyLoadResult Policy { get; }

    /// <summary>
    /// The loaded environments (one, or all for <c>validate</c> without <c>--env</c>). The diagnostics of an environment
    /// that loaded without errors include its policy violations: GO2001 errors (deny rules) and GO2002 warnings.
    /// </summary>
    public IReadOnlyList<EnvironmentLoadResult> Environments { get; }

    /// <summary>
    /// Loads the folder. Returns null after printing why when nothing usable could be loaded; otherwise the caller
    /// checks <see cref="EnvironmentLoadResult.HasErrors"/> (diagnostics are already printed).
    /// </summary>
    /// <param name="path">The config folder.</param>
    /// <param name="environment">The environment to load; null: the only one, or all when <paramref name="allowAll"/>.</param>
    /// <param name="subscription">Default subscription (implicit environment), or an override of the environment's.</param>
    /// <param name="variables"><c>NAME=VALUE</c> pairs: the implicit environment's variables, or overrides.</param>
    /// <param name="allowAll">Load every environment when none is named (validate).</param>
    /// <param name="keyVaultHosts">The hosts <c>keyvault('…')</c> may name (from the <c>--cloud</c>/<c>--arm-*</c> options).</param>
    /// <param name="console">Where diagnostics go.</param>
    /// <param name="strict">Resource type catalogue findings are errors in every environment (<c>validate --strict</c>).</param>
    /// <param name="types">The resource type catalogue; the Bicep types by default.</param>
    public static ConfigWorkspace? Load(
        string path,
        string? environment,
        string? subscription,
        IReadOnlyList<string> variables,
        bool allowAll,
        KeyVaultHostOptions keyVaultHosts,
        CliConsole console,
        bool strict = false,
        IResourceTypeCatalog? types = null)
    {
        try
        {
            return LoadFolder();
        }
        catch (LocalFileRefusedException refused)
        {
            // A link, an escaping path or an oversized file: the folder would be refused once committed, so it is here.
            console.Error.WriteLine($"error: {refused.Message}");
            return null;
        }

        ConfigWorkspace? LoadFolder()
        {
            if (!Directory.Exists(path))
            {
                console.Error.WriteLine($"error: folder '{path}' does not exist. Give the path of a config repository (the folder with gitops.yaml, or with resource YAML files).");
                return null;
            }

            var parsedVariables = ParseVariables(variables, console);
            if (parsedVariables is null)
            {
                return null;
            }

            var limits = ManifestLimits.Default with { KeyVaultHosts = keyVaultHosts };
            var tree = new LocalDirectoryTree(path, limits);
            var loader = new ManifestLoader(limits, types ?? BicepTypeCatalog.Shared);
            var config = loader.LoadConfig(tree, new ImplicitEnvironment(subscription, parsedVariables));
            Print(path, config.Diagnostics, console);
            if (config.HasErrors)
            {
                return null;
            }

            var policy = loader.LoadPolicy(tree);
            if (!policy.HasErrors)
            {
                policy = policy with
                {
                    Diagnostics = [.. policy.Diagnostics, .. PolicyLoader.CheckEnvironmentNames(policy.Policy, config.Environments.Select(e => e.Name).ToList())],
                };
            }

            Print(path, policy.Diagnostics, console);
            if (policy.HasErrors)
            {
                return null;
            }

            IEnumerable<EnvironmentDefinition> chosen;
            if (environment is not null)
            {
                var found = config.Find(environment);
                if (found is null)
                {
                    var names = string.Join(", ", config.Environments.Select(e => e.Name));
                    console.Error.WriteLine($"{Display(path, ManifestLoader.ConfigFileName)}: error {DiagnosticCodes.UnknownEnvironment}: no environment '{environment}'. Environments: {names}.");
                    return null;
                }

                chosen = [found];
            }
            else if (config.Environments.Count == 1 || allowAll)
            {
                chosen = config.Environments;
            }
            else
            {
                var names = string.Join(", ", config.Environments.Select(e => e.Name));
                console.Error.WriteLine($"error: {path} declares {config.Environments.Count} environments ({names}); choose one with --env NAME.");
                return null;
            }

            if (!config.IsImplicit)
            {
                chosen = chosen.Select(e => WithOverrides(e, subscription, parsedVariables));
            }

            var results = new List<EnvironmentLoadResult>();
            foreach (var definition in chosen)
            {
                var result = loader.LoadEnvironment(tree, strict ? definition with { StrictSchema = true } : definition);

                // Rules judge complete environments only: with load errors the resource list is partial.
                if (!result.HasErrors)
                {
                    result = result with { Diagnostics = [.. result.Diagnostics, .. PolicyEvaluator.Check(policy.Policy, definition.Name, result.Resources)] };
                }

                Print(path, result.Diagnostics, console);
                results.Add(result);
            }

            return new ConfigWorkspace(path, tree, config, policy, results);
        }
    }

    /// <summary>The number of deny-rule violations among <paramref name="diagnostics"/>.</summary>
    public static int PolicyDenials(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Count(d => d.Code == DiagnosticCodes.PolicyDenied);

    /// <summary>Prints diagnostics as <c>path:line:col: error CODE: message hint</c> and a count.</summary>
    public static void Print(string root, IReadOnlyList<Diagnostic> diagnostics, CliConsole console)
    {
        foreach (var diagnostic in diagnostics
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column))
        {
            var located = diagnostic with { Location = diagnostic.Location with { File = Display(root, diagnostic.Location.File) } };
            console.Error.WriteLine(located.ToString());
        }
    }

    private static string Display(string root, string file)
    {
        var trimmed = root.TrimEnd('/', '\\');
        return trimmed is "." or "" ? file : $"{trimmed}/{file}";
    }

    private static EnvironmentDefinition WithOverrides(EnvironmentDefinition environment, string? subscription, IReadOnlyDictionary<string, string> variables)
    {
        if (subscription is null && variables.Count == 0)
        {
            return environment;
        }

        var merged = new Dictionary<string, string>(environment.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            merged[name] = value;
        }

        return environment with { SubscriptionId = subscription ?? environment.SubscriptionId, Variables = merged };
    }

    private static Dictionary<string, string>? ParseVariables(IReadOnlyList<string> pairs, CliConsole console)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                console.Error.WriteLine($"error: --var '{pair}' is not NAME=VALUE.");
                return null;
            }

            result[pair[..equals]] = pair[(equals + 1)..];
        }

        return result;
    }
}
