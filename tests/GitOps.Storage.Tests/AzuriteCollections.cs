using GitOps.Testing;

namespace GitOps.Storage.Tests;

/// <summary>Tests against the shared SharedKey/HTTP Azurite instance.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>Tests against the HTTPS + OAuth Azurite instance.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteOAuthCollection : ICollectionFixture<AzuriteOAuthFixture>
{
    public const string Name = "AzuriteOAuth";
}
