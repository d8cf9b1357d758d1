using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using GitOps.Storage.Blobs;
using GitOps.Storage.Queues;

namespace GitOps.Storage.Tests;

/// <summary>What goes on the wire, captured below Azure.Core's transport.</summary>
public sealed class WireFormatTests
{
    private static StorageQueueClientOptions QueueOptions(CapturingHandler handler) =>
        new() { Transport = new HttpClientTransport(handler), Retry = { MaxRetries = 0 } };

    [Fact]
    public async Task Queue_Put_Sends_Pinned_Version_Signed_Xml_And_No_Content_Encoding_Or_Language()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created);
        var queue = new StorageQueueClient(StorageConnection.DevelopmentStorage, "jobs", QueueOptions(handler));

        // The fake answers 201 with no body, which the client reports as a malformed response after sending.
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.SendMessageAsync("{\"job\":1}", TimeSpan.Zero, StorageQueueClient.InfiniteTimeToLive));

        CapturedRequest request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1/jobs/messages?visibilitytimeout=0&messagettl=-1", request.Uri.AbsoluteUri);
        Assert.Equal(StorageClientOptions.ServiceVersion, request.Headers["x-ms-version"]);
        Assert.Equal("2025-05-05", request.Headers["x-ms-version"]);
        Assert.StartsWith("SharedKey devstoreaccount1:", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.True(request.Headers.ContainsKey("x-ms-date"));
        Assert.True(request.Headers.ContainsKey("x-ms-client-request-id"));
        Assert.Equal("application/xml; charset=utf-8", request.Headers["Content-Type"]);
        Assert.False(request.Headers.ContainsKey("Content-Encoding"));
        Assert.False(request.Headers.ContainsKey("Content-Language"));
        Assert.Equal("<QueueMessage><MessageText>eyJqb2IiOjF9</MessageText></QueueMessage>", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Pop_Receipts_Are_Percent_Encoded_In_The_Query()
    {
        var handler = new CapturingHandler(HttpStatusCode.NoContent);
        var queue = new StorageQueueClient(StorageConnection.DevelopmentStorage, "jobs", QueueOptions(handler));

        await queue.DeleteMessageAsync("0f8fad5b-d9cb-469f-a165-70867728950e", "AgAAAA+/BQ==");

        Assert.Equal(
            "/devstoreaccount1/jobs/messages/0f8fad5b-d9cb-469f-a165-70867728950e?popreceipt=AgAAAA%2B%2FBQ%3D%3D",
            Assert.Single(handler.Requests).Uri.PathAndQuery);
    }

    [Fact]
    public async Task Blob_Conditions_And_Lease_Id_Become_Headers()
    {
        var handler = new CapturingHandler(HttpStatusCode.PreconditionFailed);
        var blobs = new StorageBlobClient(StorageConnection.DevelopmentStorage, "state", new StorageClientOptions { Transport = new HttpClientTransport(handler), Retry = { MaxRetries = 0 } });
        string leaseId = Guid.NewGuid().ToString();

        StorageConditionFailedException error = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.UploadAsync("environments/prod/state.json", BinaryData.FromString("{}"), "application/json", BlobRequestConditions.IfMatchETag(new Azure.ETag("0x8DC"), leaseId)));

        CapturedRequest request = Assert.Single(handler.Requests);
        Assert.Equal("/devstoreaccount1/state/environments/prod/state.json", request.Uri.AbsolutePath);
        Assert.Equal("\"0x8DC\"", request.Headers["If-Match"]);
        Assert.Equal(leaseId, request.Headers["x-ms-lease-id"]);
        Assert.Equal("BlockBlob", request.Headers["x-ms-blob-type"]);
        Assert.Equal(StorageClientOptions.ServiceVersion, request.Headers["x-ms-version"]);
        // A 412 without a body or code header is still a typed condition failure.
        Assert.Equal(StorageConditionFailure.ConditionNotMet, error.Condition);
    }

    [Fact]
    public async Task Create_Only_Sends_If_None_Match_Star()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created);
        var blobs = new StorageBlobClient(StorageConnection.DevelopmentStorage, "state", new StorageClientOptions { Transport = new HttpClientTransport(handler) });

        // The fake answers 201 without an ETag, which the client reports as a malformed response after sending.
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => blobs.UploadAsync("deliveries/github/1", BinaryData.Empty, conditions: BlobRequestConditions.CreateOnly()));

        Assert.Equal("*", Assert.Single(handler.Requests).Headers["If-None-Match"]);
    }

    [Fact]
    public async Task Xml_Bodies_With_A_Byte_Order_Mark_Parse_As_Azure_Sends_Them()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        byte[] xml = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ContainerName=\"state\"><Blobs><Blob><Name>runs/a.json</Name>" +
            "<Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>0x8DC</Etag><Content-Length>2</Content-Length>" +
            "<Content-Type>application/json</Content-Type><LeaseState>available</LeaseState></Properties></Blob></Blobs><NextMarker>m2</NextMarker></EnumerationResults>");
        var handler = new CapturingHandler(HttpStatusCode.OK) { ResponseBody = [.. bom, .. xml] };
        var blobs = new StorageBlobClient(StorageConnection.DevelopmentStorage, "state", new StorageClientOptions { Transport = new HttpClientTransport(handler) });

        BlobListPage page = await blobs.ListBlobsPageAsync("runs/", marker: "m1", pageSize: 1);

        BlobItem item = Assert.Single(page.Items);
        Assert.Equal("runs/a.json", item.Name);
        Assert.Equal(new Azure.ETag("0x8DC"), item.ETag);
        Assert.Equal(BlobLeaseState.Available, item.LeaseState);
        Assert.Equal("m2", page.NextMarker);
        Assert.Contains("marker=m1", Assert.Single(handler.Requests).Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_Code_Comes_From_The_Xml_Body_When_The_Header_Is_Absent()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>LeaseAlreadyPresent</Code><Message>There is already a lease present.\nRequestId:1\nTime:2024</Message></Error>")];
        var handler = new CapturingHandler(HttpStatusCode.Conflict) { ResponseBody = body };
        var blobs = new StorageBlobClient(StorageConnection.DevelopmentStorage, "state", new StorageClientOptions { Transport = new HttpClientTransport(handler) });

        StorageConditionFailedException error = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15)));

        Assert.Equal(StorageConditionFailure.LeaseAlreadyPresent, error.Condition);
        Assert.Equal("Acquire lease 'state/lock' failed: 409 LeaseAlreadyPresent. There is already a lease present.", error.Message);
    }
}
