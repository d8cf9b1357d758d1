namespace GitOps.Arm.Tests.Infrastructure;

/// <summary>Clients wired to a test server through the real pipeline, with intervals small enough for fast tests.</summary>
internal static class TestClients
{
    public const string Token = "test-token-123";
    public const string Subscription = "00000000-0000-0000-0000-000000000001";
    public const string StorageId = "/subscriptions/" + Subscription + "/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01";
    public const string StoragePath = StorageId;
    public const string ApiVersion = "2023-05-01";
    public const string OperationPath = "/subscriptions/" + Subscription + "/providers/Microsoft.Storage/locations/westeurope/asyncoperations/op-1";

    /// <summary>A minimal PUT body.</summary>
    public static System.Text.Json.Nodes.JsonObject Body => new() { ["location"] = "westeurope" };

    public static ArmResourceClientOptions Options(ArmTestServer server, Action<ArmResourceClientOptions>? configure = null)
    {
        var options = new ArmResourceClientOptions
        {
            Cloud = ArmCloud.Custom(server.Endpoint),
            CaCertificatePem = TestCertificates.Trusted.CaPem,
            PollInterval = TimeSpan.FromMilliseconds(20),
            MaxPollInterval = TimeSpan.FromSeconds(2),
            NonStandardStateTimeout = TimeSpan.FromSeconds(5),
            OperationTimeout = TimeSpan.FromSeconds(20),
        };
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        configure?.Invoke(options);
        return options;
    }

    public static ArmResourceClient Create(ArmTestServer server, Action<ArmResourceClientOptions>? configure = null) =>
        new(new StaticTokenCredential(Token), Options(server, configure));

    public static string ResourceBody(string state = "Succeeded", string id = StorageId) =>
        $$$"""{"id":"{{{id}}}","name":"stapp01","type":"Microsoft.Storage/storageAccounts","location":"westeurope","properties":{"provisioningState":"{{{state}}}","minimumTlsVersion":"TLS1_2"}}""";
}
