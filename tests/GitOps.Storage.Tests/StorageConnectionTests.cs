using Azure.Core;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

public sealed class StorageConnectionTests
{
    private const string SecretLookingKey = "c2VjcmV0LWtleS1kby1ub3QtbG9nLW1lLTAxMjM0NTY3ODk=";

    [Fact]
    public void Development_Storage_Expands_To_The_Well_Known_Account_And_Endpoints()
    {
        StorageConnection dev = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.True(dev.IsDevelopmentStorage);
        Assert.Equal("devstoreaccount1", dev.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), dev.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), dev.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), dev.TableEndpoint);
        Assert.Equal(AzuriteFixture.AccountName, dev.SharedKeyCredential!.AccountName);
        Assert.Null(dev.TokenCredential);
    }

    [Fact]
    public void Development_Storage_Is_Case_Insensitive_And_Refuses_Extra_Settings()
    {
        Assert.True(StorageConnection.Parse("usedevelopmentstorage=TRUE;").IsDevelopmentStorage);
        FormatException error = Assert.Throws<FormatException>(
            () => StorageConnection.Parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://proxy"));
        Assert.Contains("cannot be combined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_Connection_String_Uses_Explicit_Endpoints_Without_Trailing_Slash()
    {
        StorageConnection connection = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.AccountKey};" +
            "BlobEndpoint=http://127.0.0.1:4100/devstoreaccount1/;QueueEndpoint=http://127.0.0.1:4101/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:4100/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:4101/devstoreaccount1"), connection.QueueEndpoint);
        Assert.False(connection.IsDevelopmentStorage);
    }

    [Fact]
    public void Account_Connection_String_Derives_Endpoints_From_Protocol_And_Suffix()
    {
        StorageConnection connection = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=https;AccountName=stgitops;AccountKey={SecretLookingKey};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://stgitops.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://stgitops.queue.core.chinacloudapi.cn"), connection.QueueEndpoint);
        Assert.DoesNotContain(SecretLookingKey, connection.ToString(), StringComparison.Ordinal);
        Assert.Contains("stgitops", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountName=stgitops", "AccountKey is missing")]
    [InlineData("AccountKey=" + SecretLookingKey, "AccountName is missing")]
    [InlineData("AccountName=stgitops;AccountKey=!!notbase64-" + SecretLookingKey, "not valid Base64")]
    [InlineData("AccountName=stgitops;AccountKey=" + SecretLookingKey + ";AccountName=other", "appears more than once")]
    [InlineData("AccountName=stgitops;AccountKey=" + SecretLookingKey + ";Colour=blue", "segment 3 has an unknown setting 'Colour'")]
    [InlineData("AccountName=stgitops;AccountKey", "segment 2 is not 'Name=value'")]
    [InlineData("AccountName=stgitops;" + SecretLookingKey, "segment 2 has an unknown setting.")]
    [InlineData("AccountName=stgitops;AccountKey=" + SecretLookingKey + ";SharedAccessSignature=sv=2020&sig=abc", "SharedAccessSignature is not supported")]
    [InlineData("AccountName=stgitops;AccountKey=" + SecretLookingKey + ";DefaultEndpointsProtocol=ftp", "must be 'http' or 'https'")]
    [InlineData("AccountName=stgitops;AccountKey=" + SecretLookingKey + ";BlobEndpoint=not a uri", "BlobEndpoint is not an absolute")]
    [InlineData("AccountName=stgitops;AccountKey=" + SecretLookingKey + ";BlobEndpoint=https://stgitops.blob.core.windows.net/?sv=2020&sig=abc", "must not carry a query string")]
    [InlineData("", "empty")]
    public void Bad_Connection_Strings_Name_The_Problem_And_Never_The_Key(string connectionString, string expected)
    {
        FormatException error = Assert.Throws<FormatException>(() => StorageConnection.Parse(connectionString));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretLookingKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_Name_With_Credential_Targets_Public_Https_Endpoints()
    {
        var credential = new RecordingTokenCredential();
        StorageConnection connection = StorageConnection.FromAccountName("stgitops", credential);

        Assert.Null(connection.SharedKeyCredential);
        Assert.Same(credential, connection.TokenCredential);
        Assert.Equal(new Uri("https://stgitops.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://stgitops.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://stgitops.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Throws<ArgumentException>(() => StorageConnection.FromAccountName("Not_Valid", credential));
    }

    [Fact]
    public void Service_Uris_Must_Be_Https_For_Bearer_Tokens()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => StorageConnection.FromServiceUris(new Uri("http://127.0.0.1:10000/devstoreaccount1"), null, new RecordingTokenCredential()));
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_Uris_Name_The_Account_From_Host_Or_Emulator_Path()
    {
        var credential = new RecordingTokenCredential();
        Assert.Equal("stgitops", StorageConnection.FromServiceUris(null, new Uri("https://stgitops.queue.core.windows.net/"), credential).AccountName);
        StorageConnection emulator = StorageConnection.FromServiceUris(new Uri("https://127.0.0.1:4443/devstoreaccount1/"), null, credential);
        Assert.Equal("devstoreaccount1", emulator.AccountName);
        Assert.Null(emulator.QueueEndpoint);
    }

    [Fact]
    public void Service_Uri_With_A_Sas_Query_Is_Refused_Without_Echoing_It()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => StorageConnection.FromServiceUris(new Uri("https://stgitops.blob.core.windows.net/?sv=2020&sig=topsecret"), null, new RecordingTokenCredential()));
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_Prefer_The_Connection_String()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["AzureWebJobsStorage__accountName"] = "stgitops" };
        StorageConnection connection = StorageConnection.FromSettings("AzureWebJobsStorage", settings.GetValueOrDefault);
        Assert.True(connection.IsDevelopmentStorage);
    }

    [Fact]
    public void Settings_With_Account_Name_Select_Identity()
    {
        var credential = new RecordingTokenCredential();
        var settings = new Dictionary<string, string?> { ["Storage__accountName"] = "stgitops" };
        StorageConnection connection = StorageConnection.FromSettings("Storage", settings.GetValueOrDefault, credential);
        Assert.Same(credential, connection.TokenCredential);
        Assert.Equal(new Uri("https://stgitops.queue.core.windows.net"), connection.QueueEndpoint);
    }

    [Fact]
    public void Settings_With_Service_Uris_Accept_Colon_Separators_And_Managed_Identity()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:blobServiceUri"] = "https://stgitops.blob.core.windows.net",
            ["Storage:queueServiceUri"] = "https://stgitops.queue.core.windows.net",
            ["Storage:credential"] = "managedidentity",
            ["Storage:clientId"] = "00000000-0000-0000-0000-000000000001",
        };
        StorageConnection connection = StorageConnection.FromSettings("Storage", settings.GetValueOrDefault);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(connection.TokenCredential);
        Assert.Equal("stgitops", connection.AccountName);
    }

    [Fact]
    public void Settings_Errors_Name_The_Setting()
    {
        var none = new Dictionary<string, string?>();
        FormatException missing = Assert.Throws<FormatException>(() => StorageConnection.FromSettings("Storage", none.GetValueOrDefault));
        Assert.Contains("'Storage__accountName'", missing.Message, StringComparison.Ordinal);

        var badCredential = new Dictionary<string, string?> { ["Storage__accountName"] = "stgitops", ["Storage__credential"] = "password" };
        FormatException credential = Assert.Throws<FormatException>(() => StorageConnection.FromSettings("Storage", badCredential.GetValueOrDefault));
        Assert.Contains("'Storage__credential'", credential.Message, StringComparison.Ordinal);

        var badString = new Dictionary<string, string?> { ["Storage"] = "AccountName=stgitops" };
        FormatException parse = Assert.Throws<FormatException>(() => StorageConnection.FromSettings("Storage", badString.GetValueOrDefault));
        Assert.StartsWith("Setting 'Storage':", parse.Message, StringComparison.Ordinal);

        var httpUri = new Dictionary<string, string?> { ["Storage__blobServiceUri"] = "http://stgitops.blob.core.windows.net" };
        FormatException http = Assert.Throws<FormatException>(
            () => StorageConnection.FromSettings("Storage", httpUri.GetValueOrDefault, new RecordingTokenCredential()));
        Assert.Contains("https", http.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Sas_Or_Malformed_Setting_Is_Refused_Naming_The_Setting_Without_The_Key()
    {
        var sas = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = $"AccountName=stgitops;SharedAccessSignature=sv=2024&sig={SecretLookingKey}" };
        FormatException sasError = Assert.Throws<FormatException>(() => StorageConnection.FromSettings("AzureWebJobsStorage", sas.GetValueOrDefault));
        Assert.StartsWith("Setting 'AzureWebJobsStorage':", sasError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretLookingKey, sasError.Message, StringComparison.Ordinal);

        var malformed = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = $"AccountName=stgitops;AccountKey={SecretLookingKey}%%" };
        FormatException malformedError = Assert.Throws<FormatException>(() => StorageConnection.FromSettings("AzureWebJobsStorage", malformed.GetValueOrDefault));
        Assert.StartsWith("Setting 'AzureWebJobsStorage':", malformedError.Message, StringComparison.Ordinal);
        Assert.Contains("AccountKey is not valid Base64", malformedError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretLookingKey, malformedError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretLookingKey[..12], malformedError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_With_A_Table_Service_Uri_Give_The_Ledger_Its_Endpoint()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage__blobServiceUri"] = "https://stgitops.blob.core.windows.net",
            ["AzureWebJobsStorage__queueServiceUri"] = "https://stgitops.queue.core.windows.net",
            ["AzureWebJobsStorage__tableServiceUri"] = "https://stgitops.table.core.windows.net/",
        };
        StorageConnection connection = StorageConnection.FromSettings("AzureWebJobsStorage", settings.GetValueOrDefault, new RecordingTokenCredential());
        Assert.Equal(new Uri("https://stgitops.table.core.windows.net"), connection.TableEndpoint);
    }

    [Fact]
    public void Settings_Without_A_Credential_Kind_Use_The_Default_Credential_Chain()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage__accountName"] = "stgitops", ["AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000002" };
        StorageConnection connection = StorageConnection.FromSettings("AzureWebJobsStorage", settings.GetValueOrDefault);
        Assert.IsType<Azure.Identity.DefaultAzureCredential>(connection.TokenCredential);
    }

    [Fact]
    public void Clients_Pin_The_Service_Version_Azurite_Accepts()
    {
        // The SDK default (2026-10-06) is refused by Azurite 3.35; StorageClients is the one place that pins it.
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");
        var queue = new Queues.StorageQueueClientOptions();
        Assert.Equal(Azure.Storage.Queues.QueueClientOptions.ServiceVersion.V2025_11_05, queue.Version);
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.Base64, queue.MessageEncoding);
        Assert.Equal(Azure.Storage.Blobs.BlobClientOptions.ServiceVersion.V2025_11_05, StorageClients.NewBlobClientOptions().Version);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1/gitops"), StorageClients.CreateContainerClient(connection, "gitops").Uri);
        Assert.Throws<ArgumentException>(() => StorageClients.CreateTableClient(connection, "git-ops"));
    }
}
