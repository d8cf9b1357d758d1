using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>Tests that share one Azurite and one ARM simulator; each test uses its own container, queue and subscription.</summary>
[CollectionDefinition(Name)]
public sealed class HostingCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<ArmSimulatorFixture>
{
    public const string Name = "Hosting";
}
