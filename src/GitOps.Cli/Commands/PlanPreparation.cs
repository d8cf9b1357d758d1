using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Cli.Workspace;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Policy;
using GitOps.Core.Ports;

namespace GitOps.Cli.Commands;

/// <summary>
/// The options and steps <c>plan</c> and <c>apply</c> share: load the folder and environment, read the inventory,
/// observe live state (from ARM or a snapshot) and plan — the same pure planner the reconciler uses.
/// </summary>
internal sealed class PlanPreparation
{
    private readonly Argument<string> _path = CommonOptions.Path();
    private readonly Option<string?> _environment = CommonOptions.Environment();
    private readonly Option<string?> _subscription = CommonOptions.Subscription();
    private readonly Option<string[]> _variables = CommonOptions.Variables();
    private readonly Option<string?> _state = StateOptions.StateDirectory();
    private readonly ArmOptions _arm = new();

    /// <summary>The <c>--output</c> option.</summary>
    public Option<string> Output { get; } = CommonOptions.Output();

    /// <summary>Adds the shared arguments and options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(_path);
        command.Options.Add(_environment);
        command.Options.Add(_subscription);
        command.Options.Add(_variables);
        command.Options.Add(Output);
        command.Options.Add(_state);
        _arm.AddTo(command);
    }

    /// <summary>
    /// Loads and plans. Returns null after printing why when there is nothing to plan (invalid input, unreachable ARM).
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="snapshotFolder">A live snapshot to plan against instead of ARM (plan only).</param>
    /// <param name="console">Output.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public async Task<Prepared?> PrepareAsync(ParseResult parse, string? snapshotFolder, CliConsole console, CancellationToken cancellationToken)
    {
        var keyVaultHosts = _arm.CreateKeyVaultHosts(parse, console);
        if (keyVaultHosts is null)
        {
            return null;
        }

        var workspace = ConfigWorkspace.Load(parse.GetRequiredValue(_path), parse.GetValue(_environment), parse.GetValue(_subscription), parse.GetValue(_variables) ?? [], allowAll: false, keyVaultHosts, console);
        if (workspace is null)
        {
            return null;
        }

        if (workspace.Environments[0].HasErrors)
        {
            // Policy is checked before ARM is read, as the reconciler does: a denied environment costs no ARM call.
            var denials = ConfigWorkspace.PolicyDenials(workspace.Environments[0].Diagnostics);
            if (denials > 0)
            {
                console.Error.WriteLine($"error: {denials} violation(s) of deny rules in {PolicySet.FileName}; nothing was planned or applied. Fix the manifests, or change the rule in a reviewed commit.");
            }

            return null;
        }

        var loaded = workspace.Environments[0];
        var resources = loaded.Resources;
        ISecretResolver? secrets = null;
        IReadOnlyDictionary<string, JsonObject>? live;
        IArmResourceClient? client = null;
        LocalStateStore? store = null;
        var inventory = ResourceInventory.Empty;
        if (snapshotFolder is not null)
        {
            live = LiveSnapshot.Load(snapshotFolder, console);
        }
        else
        {
            try
            {
                store = StateOptions.Store(parse, _state, workspace.Root);
                inventory = store.Load(loaded.Environment.Name);
            }
            catch (InvalidDataException error)
            {
                console.Error.WriteLine($"error: {error.Message}");
                return null;
            }

            client = _arm.CreateClient(parse, console);
            if (client is null)
            {
                return null;
            }

            if (resources.Any(r => r.SecretReferences.Count > 0))
            {
                // As the reconciler does: versions (never values) go into the declarations, values wait for the PUT.
                var resolver = _arm.CreateSecretResolver(parse, console);
                if (resolver is null)
                {
                    return null;
                }

                try
                {
                    var read = await SecretPins.ResolveAsync(resources, resolver, cancellationToken);
                    resources = SecretPins.Pin(resources, read);
                    secrets = SecretPins.Serve(read);
                }
                catch (SecretResolutionException error)
                {
                    console.Error.WriteLine($"error: {error.Message}");
                    return null;
                }
            }

            live = await ArmOptions.ObserveAsync(client, resources, inventory, console, cancellationToken);
            live = live is null ? null : SecretPins.HideLive(live, resources);
        }

        if (live is null)
        {
            return null;
        }

        // An explicit plan or apply from a person acts on drift whatever the environment's drift mode says.
        var plan = Planner.Plan(new PlanInput
        {
            Environment = loaded.Environment.Name,
            Desired = resources,
            Live = live,
            Inventory = inventory,
            Options = new PlanOptions { DriftMode = DriftMode.Correct, Prune = loaded.Environment.Prune },
        });
        return new Prepared(loaded, plan, inventory, store, client, live) { Secrets = secrets };
    }

    /// <summary>A plan ready to print or apply.</summary>
    /// <param name="Loaded">The environment and its resources.</param>
    /// <param name="Plan">The plan.</param>
    /// <param name="Inventory">The inventory it was planned against.</param>
    /// <param name="Store">Where the inventory lives (null for snapshot plans).</param>
    /// <param name="Client">The ARM client (null for snapshot plans).</param>
    /// <param name="Live">The live state the plan was made against.</param>
    internal sealed record Prepared(EnvironmentLoadResult Loaded, PlanResult Plan, ResourceInventory Inventory, LocalStateStore? Store, IArmResourceClient? Client, IReadOnlyDictionary<string, JsonObject> Live)
    {
        /// <summary>Serves the secrets read while planning (null when the manifests refer to none).</summary>
        public ISecretResolver? Secrets { get; init; }
    }
}
