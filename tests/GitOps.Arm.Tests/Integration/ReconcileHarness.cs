using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;

namespace GitOps.Arm.Tests.Integration;

/// <summary>
/// The real pieces of <c>gitops apply</c> wired together against a fresh ARM simulator over HTTPS:
/// <see cref="ManifestLoader"/> (from an in-memory tree) → <see cref="LiveStateObserver"/> → <see cref="Planner"/> →
/// <see cref="Applier"/> → <see cref="InventoryUpdate"/>, through <see cref="ArmResourceClient"/> on the Azure.Core
/// pipeline. It keeps the inventory between runs as the CLI's state file does.
/// </summary>
internal sealed class ReconcileHarness : IAsyncDisposable
{
    private ReconcileHarness(ArmSimulatorServer simulator, ArmResourceClient client)
    {
        Simulator = simulator;
        Client = client;
    }

    public ArmSimulatorServer Simulator { get; }

    public ArmSimulatorState Sim => Simulator.State;

    public ArmResourceClient Client { get; }

    /// <summary>The inventory kept between runs (what the CLI's state file or the environment state holds).</summary>
    public ResourceInventory Inventory { get; set; } = ResourceInventory.Empty;

    /// <summary>Starts a simulator and a client that trusts exactly its certificate, with short waits for fast tests.</summary>
    public static async Task<ReconcileHarness> StartAsync(
        Action<ArmSimulatorOptions>? configureSimulator = null,
        Action<ArmResourceClientOptions>? configureClient = null)
    {
        var simulatorOptions = new ArmSimulatorOptions { RetryAfter = TimeSpan.Zero };
        configureSimulator?.Invoke(simulatorOptions);
        var simulator = await ArmSimulatorServer.StartAsync(simulatorOptions);

        var clientOptions = new ArmResourceClientOptions
        {
            Cloud = ArmCloud.Custom(simulator.Endpoint),
            CaCertificatePem = simulator.CertificatePem,
            PollInterval = TimeSpan.FromMilliseconds(20),
            MaxPollInterval = TimeSpan.FromSeconds(1),
            NonStandardStateTimeout = TimeSpan.FromMilliseconds(300),
            OperationTimeout = TimeSpan.FromSeconds(20),
        };
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(10);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        configureClient?.Invoke(clientOptions);
        return new ReconcileHarness(simulator, new ArmResourceClient(new StaticTokenCredential("integration-token"), clientOptions));
    }

    /// <summary>Loads one environment of a config tree through the real loader; fails the test on any error.</summary>
    public static EnvironmentLoadResult Load(InMemoryFileTree tree, string environment = Declarations.EnvironmentName)
    {
        var loader = new ManifestLoader();
        var config = loader.LoadConfig(tree);
        Assert.False(config.HasErrors, string.Join(Environment.NewLine, config.Diagnostics));
        var definition = config.Find(environment) ?? throw new InvalidOperationException($"No environment '{environment}' in the test tree.");
        var loaded = loader.LoadEnvironment(tree, definition);
        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        return loaded;
    }

    /// <summary>
    /// Observes and plans against the kept inventory with the environment's drift mode and prune settings, as the
    /// reconcile function does (<c>gitops plan</c> and <c>gitops apply</c> always plan in correct mode).
    /// </summary>
    public async Task<PlanResult> PlanAsync(EnvironmentLoadResult loaded)
    {
        var live = await new LiveStateObserver(Client).ObserveAsync(loaded.Resources, Inventory);
        return Planner.Plan(new PlanInput
        {
            Environment = loaded.Environment.Name,
            Desired = loaded.Resources,
            Live = live,
            Inventory = Inventory,
            Options = new PlanOptions { DriftMode = loaded.Environment.DriftMode, Prune = loaded.Environment.Prune },
        });
    }

    /// <summary>
    /// One apply run, the same sequence as <c>gitops apply --auto-approve</c>: observe, plan, apply (skipped when
    /// nothing writes or detaches, but adoptions are still recorded), keep the new inventory.
    /// </summary>
    public async Task<ReconcileRun> ApplyAsync(EnvironmentLoadResult loaded)
    {
        var plan = await PlanAsync(loaded);
        if (!plan.Summary.HasWrites && plan.Summary.Detach == 0)
        {
            Inventory = InventoryUpdate.Compute(Inventory, plan, []);
            return new ReconcileRun(plan, new ApplyResult([], Inventory));
        }

        var applied = await new Applier(Client).ApplyAsync(plan, Inventory);
        Inventory = applied.Inventory;
        return new ReconcileRun(plan, applied);
    }

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}

/// <summary>What one apply run planned and did.</summary>
internal sealed record ReconcileRun(PlanResult Plan, ApplyResult Applied)
{
    public ResourceResult Result(string id) =>
        Applied.Results.SingleOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new Xunit.Sdk.XunitException($"No apply result for {id}; results: {string.Join(", ", Applied.Results.Select(r => $"{r.Id}={r.Outcome}"))}");
}
