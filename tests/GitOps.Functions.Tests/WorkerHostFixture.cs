using GitOps.Functions.Tests.Harness;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// One Azurite, one ARM simulator and one worker process played by <see cref="FunctionsHostHarness"/>, shared by the
/// worker test classes. Azurite is the collection's own: the app's queue names are fixed, so no other tests may use them.
/// </summary>
public sealed class WorkerHostFixture : IAsyncLifetime
{
    private WorkerWorld? _world;
    private FunctionsHostHarness? _host;

    public AzuriteFixture Azurite { get; } = new();

    public ArmSimulatorFixture Arm { get; } = new();

    internal WorkerWorld World => _world ?? throw new InvalidOperationException("Not initialized.");

    internal FunctionsHostHarness Host => _host ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Starts a fresh worker with the same settings (after one was killed).</summary>
    internal async Task RestartAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _host = await FunctionsHostHarness.StartAsync(World.Settings);
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Azurite.InitializeAsync(), Arm.InitializeAsync(), WorkerApp.DirectoryAsync());
        _world = new WorkerWorld(Azurite, Arm);
        _host = await FunctionsHostHarness.StartAsync(_world.Settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _world?.Dispose();
        await Arm.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>The worker tests: one collection, so they share one worker and take turns on its fixed queues.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<WorkerHostFixture>
{
    public const string Name = "Worker";
}
