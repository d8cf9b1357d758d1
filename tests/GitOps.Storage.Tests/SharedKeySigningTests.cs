using System.Net;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using GitOps.Storage.Auth;
using GitOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Storage.Tests;

public sealed class SharedKeySigningTests
{
    private static readonly DateTimeOffset s_exampleDate = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Worked_Example_Create_Container_Builds_The_Documented_String_And_Signature()
    {
        var headers = new Dictionary<string, string>
        {
            ["x-ms-date"] = "Mon, 01 Jan 2024 00:00:00 GMT",
            ["x-ms-version"] = "2025-11-05",
        };
        string stringToSign = SharedKeyStringToSign.Build(
            "PUT", new Uri("http://127.0.0.1:10000/devstoreaccount1/state?restype=container"), headers, 0, AzuriteFixture.AccountName);

        Assert.Equal(
            "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2025-11-05\n/devstoreaccount1/devstoreaccount1/state\nrestype:container",
            stringToSign);
        var credential = new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey);
        Assert.Equal("c9sRBN3eIVk7yZfOLLAlBIHXYR6KwiqtOHmjEHbW2AU=", credential.ComputeSignature(stringToSign));
    }

    [Fact]
    public void Worked_Example_Put_Message_Builds_The_Documented_String_And_Signature()
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/xml; charset=utf-8",
            ["x-ms-version"] = "2025-11-05",
            ["x-ms-date"] = "Mon, 01 Jan 2024 00:00:00 GMT",
        };
        string stringToSign = SharedKeyStringToSign.Build(
            "POST", new Uri("http://127.0.0.1:10001/devstoreaccount1/jobs/messages?visibilitytimeout=0&messagettl=-1"), headers, 68, AzuriteFixture.AccountName);

        Assert.Equal(
            "POST\n\n\n68\n\napplication/xml; charset=utf-8\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2025-11-05\n/devstoreaccount1/devstoreaccount1/jobs/messages\nmessagettl:-1\nvisibilitytimeout:0",
            stringToSign);
        var credential = new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey);
        Assert.Equal("bi+fuOlr+6QUooPzKo0fuYPliH0oQZF/N1qlHTDITvA=", credential.ComputeSignature(stringToSign));
    }

    [Fact]
    public async Task Policy_Signs_The_Worked_Examples_On_The_Wire()
    {
        var handler = new CapturingHandler(HttpStatusCode.Created, HttpStatusCode.Created);
        var policy = new StorageSharedKeyPolicy(
            new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), new FakeTimeProvider(s_exampleDate));
        var pipeline = new HttpPipeline(new HttpClientTransport(handler), [policy]);

        using (Request container = pipeline.CreateRequest())
        {
            container.Method = RequestMethod.Put;
            container.Uri.Reset(new Uri("http://127.0.0.1:10000/devstoreaccount1/state?restype=container"));
            container.Headers.SetValue("x-ms-version", "2025-11-05");
            using Response response = await pipeline.SendRequestAsync(container, CancellationToken.None);
        }

        using (Request message = pipeline.CreateRequest())
        {
            message.Method = RequestMethod.Post;
            message.Uri.Reset(new Uri("http://127.0.0.1:10001/devstoreaccount1/jobs/messages?visibilitytimeout=0&messagettl=-1"));
            message.Headers.SetValue("x-ms-version", "2025-11-05");
            message.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
            message.Content = RequestContent.Create(Encoding.UTF8.GetBytes("<QueueMessage><MessageText>eyJqb2IiOjF9</MessageText></QueueMessage>"));
            using Response response = await pipeline.SendRequestAsync(message, CancellationToken.None);
        }

        Assert.Equal("SharedKey devstoreaccount1:c9sRBN3eIVk7yZfOLLAlBIHXYR6KwiqtOHmjEHbW2AU=", handler.Requests[0].Headers["Authorization"]);
        Assert.Equal("Mon, 01 Jan 2024 00:00:00 GMT", handler.Requests[0].Headers["x-ms-date"]);
        Assert.Equal(68, handler.Requests[1].Body.Length);
        Assert.Equal("SharedKey devstoreaccount1:bi+fuOlr+6QUooPzKo0fuYPliH0oQZF/N1qlHTDITvA=", handler.Requests[1].Headers["Authorization"]);
    }

    [Fact]
    public void Canonicalized_Headers_Are_Lowercased_Sorted_And_Include_Every_XMs_Header()
    {
        var headers = new Dictionary<string, string>
        {
            ["x-ms-version"] = "2025-05-05",
            ["X-MS-Client-Request-Id"] = " 0f8fad5b-d9cb-469f-a165-70867728950e ",
            ["x-ms-return-client-request-id"] = "true",
            ["x-ms-date"] = "Mon, 01 Jan 2024 00:00:00 GMT",
            ["x-ms-meta-empty"] = "",
            ["User-Agent"] = "ignored",
            ["If-Match"] = "\"0x1\"",
        };
        string stringToSign = SharedKeyStringToSign.Build(
            "PUT", new Uri("http://127.0.0.1:10000/devstoreaccount1/c/a%20b.json"), headers, 0, AzuriteFixture.AccountName);

        Assert.Equal(
            "PUT\n\n\n\n\n\n\n\n\"0x1\"\n\n\n\n" +
            "x-ms-client-request-id:0f8fad5b-d9cb-469f-a165-70867728950e\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\n" +
            "x-ms-meta-empty:\nx-ms-return-client-request-id:true\nx-ms-version:2025-05-05\n" +
            "/devstoreaccount1/devstoreaccount1/c/a%20b.json",
            stringToSign);
    }

    [Fact]
    public void Canonicalized_Resource_Decodes_Query_Values_And_Sorts_Names()
    {
        string stringToSign = SharedKeyStringToSign.Build(
            "DELETE",
            new Uri("https://acct.queue.core.windows.net/jobs/messages/id1?popreceipt=AgAAAA%2B%2FBQ%3D%3D&Timeout=30"),
            new Dictionary<string, string> { ["x-ms-date"] = "d" },
            0,
            "acct");

        Assert.EndsWith("/acct/jobs/messages/id1\npopreceipt:AgAAAA+/BQ==\ntimeout:30", stringToSign);
    }

    [Fact]
    public async Task Policy_Refreshes_XMsDate_On_Every_Retry()
    {
        var handler = new CapturingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created);
        var clock = new FakeTimeProvider(s_exampleDate);
        var options = new StorageClientOptions { Transport = new HttpClientTransport(handler) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxRetries = 1;
        var clockAdvancing = new AdvancingPolicy(clock);
        var signer = new StorageSharedKeyPolicy(new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), clock);
        HttpPipeline pipeline = HttpPipelineBuilder.Build(options, [], [clockAdvancing, signer], new ResponseClassifier());

        using Request request = pipeline.CreateRequest();
        request.Method = RequestMethod.Put;
        request.Uri.Reset(new Uri("http://127.0.0.1:10000/devstoreaccount1/state?restype=container"));
        using Response response = await pipeline.SendRequestAsync(request, CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
        Assert.NotEqual(handler.Requests[0].Headers["x-ms-date"], handler.Requests[1].Headers["x-ms-date"]);
        Assert.NotEqual(handler.Requests[0].Headers["Authorization"], handler.Requests[1].Headers["Authorization"]);
        // Azure.Core's per-call request id is present and therefore signed.
        Assert.True(handler.Requests[1].Headers.ContainsKey("x-ms-client-request-id"));
    }

    [Fact]
    public void Credential_Never_Renders_Its_Key()
    {
        var credential = new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, credential.ToString(), StringComparison.Ordinal);
        ArgumentException error = Assert.Throws<ArgumentException>(() => new StorageSharedKeyCredential("acct", "not base64 secret!"));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    private sealed class AdvancingPolicy(FakeTimeProvider clock) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => clock.Advance(TimeSpan.FromSeconds(1));
    }
}
