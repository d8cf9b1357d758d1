using Azure.Core.Pipeline;
using GitOps.Storage.Blobs;
using GitOps.Storage.Queues;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

[Collection(AzuriteOAuthCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BearerAuthenticationTests(AzuriteOAuthFixture azurite)
{
    private T Options<T>() where T : StorageClientOptions, new() =>
        new() { Transport = new HttpClientTransport(azurite.CreateTrustingHandler()) };

    [Fact]
    public async Task Queue_Calls_Authenticate_With_A_Storage_Scoped_Bearer_Token_Over_Https()
    {
        var credential = new RecordingTokenCredential();
        StorageConnection connection = StorageConnection.FromServiceUris(azurite.BlobEndpoint, azurite.QueueEndpoint, credential);
        var queue = new StorageQueueClient(connection, AzuriteFixture.UniqueName("oauth"), Options<StorageQueueClientOptions>());

        Assert.True(await queue.CreateIfNotExistsAsync());
        await queue.SendMessageAsync("{\"job\":\"bearer\"}");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync());
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Equal("{\"job\":\"bearer\"}", message.Text);
        Assert.NotEmpty(credential.RequestedScopes);
        Assert.All(credential.RequestedScopes, scope => Assert.Equal(StorageConnection.TokenScope, scope));
    }

    [Fact]
    public async Task Blob_Calls_Authenticate_With_A_Bearer_Token_Including_Leases()
    {
        var credential = new RecordingTokenCredential();
        StorageConnection connection = StorageConnection.FromServiceUris(azurite.BlobEndpoint, null, credential);
        var blobs = new StorageBlobClient(connection, AzuriteFixture.UniqueName("oauth"), Options<StorageClientOptions>());

        Assert.True(await blobs.CreateContainerIfNotExistsAsync());
        BlobUploadResult written = await blobs.UploadAsync("lock", BinaryData.FromString("x"), conditions: BlobRequestConditions.CreateOnly());
        string leaseId = await blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15));
        await blobs.UploadAsync("lock", BinaryData.FromString("y"), conditions: BlobRequestConditions.IfMatchETag(written.ETag, leaseId));
        await blobs.ReleaseLeaseAsync("lock", leaseId);

        Assert.Equal("y", (await blobs.DownloadAsync("lock"))!.Content.ToString());
        Assert.Contains(StorageConnection.TokenScope, credential.RequestedScopes);
    }

    [Fact]
    public async Task Shared_Key_Also_Works_Over_Https()
    {
        StorageConnection connection = StorageConnection.Parse(azurite.ConnectionString);
        Assert.Equal("https", connection.BlobEndpoint!.Scheme);
        var blobs = new StorageBlobClient(connection, AzuriteFixture.UniqueName("https"), Options<StorageClientOptions>());
        Assert.True(await blobs.CreateContainerIfNotExistsAsync());
    }

    [Fact]
    public async Task A_Token_For_Another_Audience_Is_Rejected_As_An_Authentication_Failure()
    {
        var connection = StorageConnection.FromServiceUris(null, azurite.QueueEndpoint, new WrongAudienceCredential());
        var queue = new StorageQueueClient(connection, AzuriteFixture.UniqueName("aud"), Options<StorageQueueClientOptions>());

        StorageRequestException error = await Assert.ThrowsAsync<StorageRequestException>(() => queue.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
        Assert.Equal(StorageErrorCodes.AuthenticationFailed, error.ErrorCode);
        Assert.DoesNotContain("eyJ", error.Message, StringComparison.Ordinal);
    }

    private sealed class WrongAudienceCredential : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
                $"{{\"aud\":\"https://management.azure.com\",\"iss\":\"https://sts.windows.net/t/\",\"iat\":{now - 60},\"nbf\":{now - 60},\"exp\":{now + 3600}}}"))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return new Azure.Core.AccessToken($"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
