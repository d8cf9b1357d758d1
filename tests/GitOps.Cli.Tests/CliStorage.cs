using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>A fresh container and queue in Azurite for one test: the <c>--storage</c> arguments and the same storage opened directly.</summary>
internal sealed class CliStorage(AzuriteFixture azurite)
{
    private readonly string _container = AzuriteFixture.UniqueName("gitops");
    private readonly string _queue = AzuriteFixture.UniqueName("reconcile");

    public string[] Args => ["--storage", azurite.ConnectionString, "--container", _container, "--queue", _queue];

    public async Task<GitOpsStorage> OpenAsync() =>
        await GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), new GitOpsStorageOptions { ContainerName = _container, QueueName = _queue });
}
