using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Ports;
using static GitOps.Arm.Tests.Infrastructure.TestClients;

namespace GitOps.Arm.Tests;

public class ArmProtocolPartsTests
{
    [Theory]
    [InlineData(null, "Succeeded")]
    [InlineData("Succeeded", "Succeeded")]
    [InlineData("succeeded", "Succeeded")]
    [InlineData("Failed", "Failed")]
    [InlineData("Canceled", "Canceled")]
    [InlineData("Cancelled", "Canceled")]
    [InlineData("Creating", "InProgress")]
    [InlineData("Updating", "InProgress")]
    [InlineData("Deleting", "InProgress")]
    [InlineData("Provisioning", "InProgress")]
    [InlineData("InProgress", "InProgress")]
    [InlineData("InitializationInProgress", "InProgress")]
    [InlineData("Accepted", "InProgress")]
    [InlineData("Created", "NonStandard")]
    [InlineData("Active", "NonStandard")]
    [InlineData("Ready", "NonStandard")]
    public void Provisioning_States_Are_Classified(string? state, string expected)
    {
        Assert.Equal(expected, ArmProvisioningState.Classify(state).ToString());
    }

    [Fact]
    public void Resource_Id_Segments_Are_Escaped_And_ApiVersion_Appended()
    {
        Uri uri = ArmResourcePath.BuildUri(new Uri("https://management.azure.com/"), "/subscriptions/s/resourceGroups/rg app/providers/X.Y/z/a", "2023-05-01");

        Assert.Equal("https://management.azure.com/subscriptions/s/resourceGroups/rg%20app/providers/X.Y/z/a?api-version=2023-05-01", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("/subscriptions/ABC/resourceGroups/rg", "abc")]
    [InlineData("/SUBSCRIPTIONS/abc/providers/Microsoft.Storage/locations/x/operations/1", "abc")]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg", "")]
    public void Subscription_Is_Read_From_The_Path(string path, string expected)
    {
        Assert.Equal(expected, ArmResourcePath.SubscriptionOf(path));
    }

    [Theory]
    [InlineData("https://management.azure.com/subscriptions/s/operations/1?api-version=1", true)]
    [InlineData("https://MANAGEMENT.azure.com/x", true)]
    [InlineData("https://management.azure.com:444/x", false)]
    [InlineData("http://management.azure.com/x", false)]
    [InlineData("https://management.azure.com.evil.example/x", false)]
    [InlineData("/relative/path", false)]
    public void Polling_Urls_Must_Stay_On_The_Arm_Endpoint(string url, bool accepted)
    {
        Assert.Equal(accepted, ArmResourcePath.TryParseOnEndpoint(new Uri("https://management.azure.com/"), url, out _));
    }

    [Theory]
    [InlineData("Server=x;Password=hunter2;", "hunter2")]
    [InlineData("DefaultEndpointsProtocol=https;AccountKey=abc+/==;", "abc+/==")]
    [InlineData("Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=s3cr3t", "s3cr3t")]
    [InlineData("https://x.blob.core.windows.net/c?sv=1&sig=SIGNATURE123", "SIGNATURE123")]
    [InlineData("Authorization: Bearer eyJ0eXAiOiJKV1Q.payload.sig", "eyJ0eXAiOiJKV1Q")]
    [InlineData("""{"adminPassword": "P@ssw0rd!"}""", "P@ssw0rd!")]
    [InlineData("""{"primaryKey":"KEYVALUE"}""", "KEYVALUE")]
    public void Messages_Are_Sanitized(string message, string secret)
    {
        string sanitized = ArmResponseReader.Sanitize("error: " + message);

        Assert.DoesNotContain(secret, sanitized);
        Assert.StartsWith("error: ", sanitized);
    }

    [Fact]
    public void Long_Messages_Are_Bounded()
    {
        Assert.True(ArmResponseReader.Sanitize(new string('x', 100_000)).Length <= 2049);
    }

    [Fact]
    public void Retry_After_Reads_Seconds_Milliseconds_And_Dates()
    {
        DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        static ArmHttpResponse With(string name, string value) =>
            new(202, BinaryData.Empty, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [name] = value });

        Assert.Equal(TimeSpan.FromSeconds(7), With("retry-after", "7").RetryAfter(now));
        Assert.Equal(TimeSpan.FromMilliseconds(250), With("retry-after-ms", "250").RetryAfter(now));
        Assert.Equal(TimeSpan.FromMilliseconds(40), With("x-ms-retry-after-ms", "40").RetryAfter(now));
        Assert.Equal(TimeSpan.FromSeconds(30), With("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT").RetryAfter(now));
        Assert.Null(With("Retry-After", "soon").RetryAfter(now));
        Assert.Null(With("Other", "1").RetryAfter(now));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Unreachable_Endpoint_Is_Retried_Then_Reported_As_Transient_Network_Error()
    {
        ArmTestServer server = await ArmTestServer.StartAsync();
        ArmResourceClientOptions options = Options(server, o => o.Retry.MaxRetries = 2);
        await server.DisposeAsync();
        var client = new ArmResourceClient(new StaticTokenCredential(Token), options);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.GetAsync(StorageId, ApiVersion));

        Assert.Equal(ArmErrorCodes.NetworkError, error.Code);
        Assert.Equal(ArmErrorKind.Transient, error.Kind);
        Assert.Equal(3, client.Counters.ReadsSent);
        Assert.Equal(2, client.Counters.Retries);
    }
}
