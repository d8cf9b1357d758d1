using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using GitOps.Storage.Queues;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

/// <summary>Identity-based connections (bearer tokens) against Azurite over HTTPS with <c>--oauth basic</c>.</summary>
[Collection(AzuriteOAuthCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BearerAuthenticationTests(AzuriteOAuthFixture azurite)
{
    [Fact]
    public async Task Queue_Calls_Authenticate_With_A_Storage_Scoped_Bearer_Token_Over_Https()
    {
        var credential = new RecordingTokenCredential();
        StorageConnection connection = StorageConnection.FromServiceUris(azurite.BlobEndpoint, azurite.QueueEndpoint, credential);
        var versions = new HeaderRecorder("x-ms-version");
        var options = new StorageQueueClientOptions { Transport = new HttpClientTransport(azurite.CreateTrustingHandler()) };
        options.AddPolicy(versions, HttpPipelinePosition.PerRetry);
        var queue = new StorageQueueClient(connection, AzuriteFixture.UniqueName("oauth"), options);

        Assert.True(await queue.CreateIfNotExistsAsync());
        await queue.SendMessageAsync("{\"job\":\"bearer\"}");
        QueueMessage message = Assert.Single(await queue.ReceiveMessagesAsync());
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Equal("{\"job\":\"bearer\"}", message.Text);
        Assert.NotEmpty(credential.RequestedScopes);
        Assert.All(credential.RequestedScopes, scope => Assert.Equal(StorageConnection.TokenScope, scope));
        Assert.All(versions.Values, v => Assert.Equal("2025-11-05", v));
        Assert.True(versions.Values.Count >= 4);
    }

    [Fact]
    public async Task Identity_Settings_Reach_Blobs_And_Leases_Through_The_Sdk()
    {
        var credential = new RecordingTokenCredential();
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage__blobServiceUri"] = azurite.BlobEndpoint.ToString(),
            ["AzureWebJobsStorage__queueServiceUri"] = azurite.QueueEndpoint.ToString(),
        };
        StorageConnection connection = StorageConnection.FromSettings("AzureWebJobsStorage", settings.GetValueOrDefault, credential);
        var options = StorageClients.NewBlobClientOptions();
        options.Transport = new HttpClientTransport(azurite.CreateTrustingHandler());
        BlobContainerClient container = StorageClients.CreateContainerClient(connection, AzuriteFixture.UniqueName("oauth"), options);

        await container.CreateAsync();
        BlobClient blob = container.GetBlobClient("lock");
        var written = await blob.UploadAsync(BinaryData.FromString("x"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } });
        BlobLeaseClient lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15));
        await blob.UploadAsync(BinaryData.FromString("y"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = written.Value.ETag, LeaseId = lease.LeaseId } });
        await lease.ReleaseAsync();

        Assert.Equal("y", (await blob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Contains(StorageConnection.TokenScope, credential.RequestedScopes);
    }

    [Fact]
    public async Task A_Token_For_Another_Audience_Is_Rejected_As_An_Authentication_Failure()
    {
        var connection = StorageConnection.FromServiceUris(null, azurite.QueueEndpoint, new WrongAudienceCredential());
        var queue = new StorageQueueClient(
            connection,
            AzuriteFixture.UniqueName("aud"),
            new StorageQueueClientOptions { Transport = new HttpClientTransport(azurite.CreateTrustingHandler()), Retry = { MaxRetries = 0 } });

        RequestFailedException error = await Assert.ThrowsAsync<RequestFailedException>(() => queue.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthenticationFailed", error.ErrorCode);
        Assert.DoesNotContain("eyJ", error.Message, StringComparison.Ordinal);
    }

    private sealed class HeaderRecorder(string header) : HttpPipelineSynchronousPolicy
    {
        private readonly List<string> _values = [];

        public IReadOnlyList<string> Values
        {
            get
            {
                lock (_values)
                {
                    return _values.ToList();
                }
            }
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Headers.TryGetValue(header, out var value))
            {
                lock (_values)
                {
                    _values.Add(value);
                }
            }
        }
    }

    private sealed class WrongAudienceCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
                $"{{\"aud\":\"https://management.azure.com\",\"iss\":\"https://sts.windows.net/t/\",\"iat\":{now - 60},\"nbf\":{now - 60},\"exp\":{now + 3600}}}"))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return new AccessToken($"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
