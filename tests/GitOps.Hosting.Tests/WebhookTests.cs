using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>Real, signed deliveries for a real repository, through the webhook endpoint on Kestrel.</summary>
[Collection(HostingCollection.Webhook)]
[Trait("Category", "Integration")]
public sealed class WebhookTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const string FullName = "acme/app-config";

    private sealed record Setup(TestWorld World, GitOpsRuntime Runtime, ApiServer Server, string Before, string After) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            World.Dispose();
        }
    }

    /// <summary>dev and prod follow main, staging follows release; the last commit on main changes only envs/dev.</summary>
    private async Task<Setup> SetupAsync()
    {
        var world = new TestWorld(azurite, arm);
        world.WriteResourceGroup("envs/dev", "rg-dev");
        world.WriteResourceGroup("envs/prod", "rg-prod");
        world.WriteResourceGroup("envs/staging", "rg-staging");
        var before = world.CommitConfig("three environments", ("dev", "envs/dev", "main"), ("prod", "envs/prod", "main"), ("staging", "envs/staging", "release"));
        world.WriteResourceGroup("envs/dev", "rg-dev", tag: "changed");
        var after = world.Repository.Commit("retag dev");
        var runtime = await world.RuntimeAsync();
        return new Setup(world, runtime, await ApiServer.StartAsync(runtime), before, after);
    }

    /// <summary>
    /// The environments' jobs on the queue after the fan-out step ran on every push job there (as the reconcile queue
    /// function does); fanning out again is harmless, since a waiting job for an environment and commit is not queued twice.
    /// </summary>
    private static async Task<List<ReconcileJob>> QueuedAsync(GitOpsRuntime runtime)
    {
        foreach (var message in await runtime.Storage.Queue.PeekMessagesAsync(32))
        {
            if (PushJobJson.TryParse(message.Text!) is { } push)
            {
                await runtime.FanOut.RunAsync(push);
            }
        }

        return (await runtime.Storage.Queue.PeekMessagesAsync(32))
            .Where(m => PushJobJson.TryParse(m.Text!) is null)
            .Select(m => ReconcileJobJson.Parse(m.Text!))
            .ToList();
    }

    private static async Task<List<PushJob>> PushJobsAsync(GitOpsRuntime runtime) =>
        (await runtime.Storage.Queue.PeekMessagesAsync(32)).Select(m => PushJobJson.TryParse(m.Text!)).OfType<PushJob>().ToList();

    private static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(Setup setup, byte[] body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var response = await setup.Server.Client.SendAsync(Deliveries.Request(body, headers));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task A_GitHub_Push_Enqueues_Only_Environments_On_The_Branch_Whose_Folder_Changed()
    {
        await using var setup = await SetupAsync();
        var (body, headers) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, [], ["envs/dev/rg-dev.yaml"], TestWorld.WebhookSecret, "delivery-1");
        var (status, answer) = await SendAsync(setup, body, headers);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("accepted", answer["status"]!.GetValue<string>());
        Assert.Equal(setup.After, answer["commit"]!.GetValue<string>());

        var job = Assert.Single(await QueuedAsync(setup.Runtime));
        Assert.Equal(("app", "dev", setup.After, RunTrigger.Push, "delivery-1", "alice"), (job.Repository, job.Environment, job.Commit, job.Trigger, job.DeliveryId, job.RequestedBy));

        // Replay: the same delivery id again is a duplicate and enqueues nothing.
        (status, answer) = await SendAsync(setup, body, headers);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("duplicate", answer["status"]!.GetValue<string>());
        Assert.Single(await QueuedAsync(setup.Runtime));
        Assert.Single(await PushJobsAsync(setup.Runtime));
    }

    [Fact]
    public async Task Thirty_Replays_Of_One_Delivery_With_Fresh_Or_Missing_Ids_Queue_One_Push()
    {
        await using var setup = await SetupAsync();
        var (body, headers) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, [], ["envs/dev/rg-dev.yaml"], TestWorld.WebhookSecret, "delivery-original");
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(setup, body, headers)).Status);

        // The delivery id is an unsigned header: a replayer changes it (or drops it) and keeps the signed body.
        for (var i = 0; i < 30; i++)
        {
            var replay = headers.Where(h => !h.Key.Equals("X-GitHub-Delivery", StringComparison.OrdinalIgnoreCase)).ToList();
            if (i % 2 == 0)
            {
                replay.Add(new("X-GitHub-Delivery", Guid.NewGuid().ToString()));
            }

            var (status, answer) = await SendAsync(setup, body, replay);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("duplicate", answer["status"]!.GetValue<string>());
        }

        Assert.Single(await PushJobsAsync(setup.Runtime));
        Assert.Single(await QueuedAsync(setup.Runtime));
    }

    [Fact]
    public async Task The_Webhook_Answers_Without_Touching_Git()
    {
        // The repository URL points nowhere: an answer that needed git would fail; this one only queues the push.
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Repositories:app:Url"] = new Uri(Path.Combine(world.TempPath, "unreachable")).AbsoluteUri,
        });
        var (body, headers) = Deliveries.GitHubPush(FullName, world.Repository.Url, "main", new string('1', 40), new string('2', 40), [], ["envs/dev/rg-dev.yaml"], TestWorld.WebhookSecret, "delivery-nogit");

        var answer = await runtime.Webhook.RunAsync([.. headers], body);

        Assert.Equal(202, answer.StatusCode);
        var push = Assert.Single(await PushJobsAsync(runtime));
        Assert.Equal((new string('2', 40), "main", "delivery-nogit"), (push.After, push.Branch, push.DeliveryId));

        // The fan-out meets the unreachable repository and asks the queue to retry; nothing else is queued.
        Assert.Equal(GitOps.Hosting.Handlers.MessageDisposition.Retry, (await runtime.FanOut.RunAsync(push)).Disposition);
    }

    [Fact]
    public async Task A_Push_To_A_Branch_Whose_Gitops_Yaml_Repoints_An_Environment_Queues_Nothing()
    {
        await using var setup = await SetupAsync();

        // On a feature branch, gitops.yaml is edited so that prod follows 'feature'. The fan-out reads gitops.yaml on
        // the default branch, where nothing follows 'feature', so no job is queued.
        setup.World.Repository.CreateBranch("feature");
        var attack = setup.World.CommitConfig("prod follows feature", ("prod", "envs/prod", "feature"));
        var (body, headers) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "feature", setup.After, attack, [], ["gitops.yaml"], TestWorld.WebhookSecret, "delivery-attack");

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(setup, body, headers)).Status);
        Assert.Empty(await QueuedAsync(setup.Runtime));
    }

    [Fact]
    public async Task A_Change_To_Gitops_Yaml_Enqueues_Every_Environment_On_The_Branch()
    {
        await using var setup = await SetupAsync();
        var (body, headers) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, [], ["gitops.yaml"], TestWorld.WebhookSecret);
        var (status, _) = await SendAsync(setup, body, headers);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(["dev", "prod"], (await QueuedAsync(setup.Runtime)).Select(j => j.Environment).Order());
    }

    [Fact]
    public async Task Gitea_And_GitLab_Pushes_Are_Accepted_And_Enqueued()
    {
        await using var setup = await SetupAsync();
        var (giteaBody, giteaHeaders) = Deliveries.GiteaPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, ["envs/dev/rg-dev.yaml"], TestWorld.WebhookSecret);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(setup, giteaBody, giteaHeaders)).Status);
        var (gitlabBody, gitlabHeaders) = Deliveries.GitLabPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, ["envs/prod/rg-prod.yaml"], TestWorld.WebhookSecret);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(setup, gitlabBody, gitlabHeaders)).Status);
        var jobs = await QueuedAsync(setup.Runtime);
        Assert.Equal(["dev", "prod"], jobs.Select(j => j.Environment).Order());
        Assert.Equal(["bob", "carol"], jobs.Select(j => j.RequestedBy!).Order());

        // A GitLab delivery with the wrong token is refused.
        var (wrongBody, wrongHeaders) = Deliveries.GitLabPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, ["envs/prod/rg-prod.yaml"], "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(setup, wrongBody, wrongHeaders)).Status);
        Assert.Equal(2, (await QueuedAsync(setup.Runtime)).Count);
    }

    [Fact]
    public async Task A_Bad_Signature_Or_An_Unconfigured_Repository_Is_401_And_Enqueues_Nothing()
    {
        await using var setup = await SetupAsync();
        var (body, _) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, [], ["gitops.yaml"], TestWorld.WebhookSecret);
        var (status, answer) = await SendAsync(setup, body, Deliveries.GitHubHeaders(body, "wrong-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain(TestWorld.WebhookSecret, answer.ToJsonString(), StringComparison.Ordinal);

        // Signed with the configured secret, but about a repository nobody configured.
        var (other, otherHeaders) = Deliveries.GitHubPush("mallory/other", "https://example.test/mallory/other.git", "main", setup.Before, setup.After, [], ["gitops.yaml"], TestWorld.WebhookSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(setup, other, otherHeaders)).Status);

        // Unsigned.
        var unsigned = Deliveries.GitHubHeaders(body, TestWorld.WebhookSecret);
        unsigned.Remove("X-Hub-Signature-256");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(setup, body, unsigned)).Status);
        Assert.Empty(await QueuedAsync(setup.Runtime));
    }

    [Fact]
    public async Task Malformed_Too_Large_And_Ping_Deliveries_Get_Their_Statuses()
    {
        await using var setup = await SetupAsync();
        var garbage = Encoding.UTF8.GetBytes("{ this is not json");
        var (garbageStatus, garbageAnswer) = await SendAsync(setup, garbage, Deliveries.GitHubHeaders(garbage, TestWorld.WebhookSecret));
        Assert.Equal(HttpStatusCode.BadRequest, garbageStatus);

        // The message is about the body, not about a missing secret or signature.
        var said = garbageAnswer["message"]!.GetValue<string>();
        Assert.Contains("body is malformed", said, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", said, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("signature", said, StringComparison.OrdinalIgnoreCase);

        var ping = Encoding.UTF8.GetBytes(new JsonObject { ["zen"] = "Keep it simple.", ["hook_id"] = 1, ["repository"] = new JsonObject { ["full_name"] = FullName } }.ToJsonString());
        var (status, answer) = await SendAsync(setup, ping, Deliveries.GitHubHeaders(ping, TestWorld.WebhookSecret, @event: "ping"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ignored", answer["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(setup, ping, Deliveries.GitHubHeaders(ping, "wrong-secret", @event: "ping"))).Status);

        // Over the limit: announced by Content-Length, and streamed without one.
        var large = new byte[WebhookFunctionLimit + 1];
        Array.Fill(large, (byte)' ');
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SendAsync(setup, large, Deliveries.GitHubHeaders(large, TestWorld.WebhookSecret))).Status);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhook") { Content = new StreamContent(new UnknownLengthStream(large)) })
        {
            foreach (var (name, value) in Deliveries.GitHubHeaders(large, TestWorld.WebhookSecret))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await setup.Server.Client.SendAsync(request);
            Assert.Null(request.Content.Headers.ContentLength);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        // The function itself refuses an oversized body before parsing it.
        var direct = await setup.Runtime.Webhook.RunAsync([.. Deliveries.GitHubHeaders(large, TestWorld.WebhookSecret)], large);
        Assert.Equal(413, direct.StatusCode);
        Assert.Empty(await QueuedAsync(setup.Runtime));
    }

    [Fact]
    public async Task An_Oversized_Streamed_Body_Is_Refused_Without_Waiting_For_Its_End()
    {
        await using var setup = await SetupAsync();

        // A raw client sends just over the limit in chunks and then never finishes the body: only an endpoint that
        // stops reading at the limit can answer.
        using var tcp = new System.Net.Sockets.TcpClient();
        var address = setup.Server.Client.BaseAddress!;
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/webhook HTTP/1.1\r\nHost: {address.Authority}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n" +
            $"X-GitHub-Event: push\r\nX-GitHub-Delivery: {Guid.NewGuid()}\r\n\r\n"));
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        for (long sent = 0; sent <= WebhookFunctionLimit; sent += chunk.Length)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            await stream.WriteAsync(chunk);
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        var answer = new byte[256];
        var read = await stream.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.StartsWith("HTTP/1.1 413", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
        Assert.Empty(await QueuedAsync(setup.Runtime));
    }

    private const int WebhookFunctionLimit = (int)GitOps.Hosting.Handlers.WebhookHandler.MaxBodyBytes;

    [Fact]
    public async Task A_Push_Whose_Repository_Cannot_Be_Read_Is_Retried_By_The_Queue_Not_Lost()
    {
        await using var setup = await SetupAsync();
        var (body, headers) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, [], ["envs/dev/rg-dev.yaml"], TestWorld.WebhookSecret, "delivery-retry");
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(setup, body, headers)).Status);
        var push = Assert.Single(await PushJobsAsync(setup.Runtime));

        var path = setup.World.Repository.RepositoryPath;
        var hidden = path + "-away";
        Directory.Move(path, hidden);
        try
        {
            Assert.Equal(GitOps.Hosting.Handlers.MessageDisposition.Retry, (await setup.Runtime.FanOut.RunAsync(push)).Disposition);
        }
        finally
        {
            Directory.Move(hidden, path);
        }

        // The queue delivers the push job again: processed.
        var (disposition, enqueued) = await setup.Runtime.FanOut.RunAsync(push);
        Assert.Equal(GitOps.Hosting.Handlers.MessageDisposition.Complete, disposition);
        Assert.Equal(["dev"], enqueued);
        Assert.Equal("delivery-retry", Assert.Single(await QueuedAsync(setup.Runtime)).DeliveryId);
    }

    [Fact]
    public async Task A_Delivery_Abandoned_By_The_Git_Host_Mid_Processing_Is_Forgotten_So_Its_Redelivery_Counts()
    {
        await using var setup = await SetupAsync();
        var (body, headers) = Deliveries.GitHubPush(FullName, setup.World.Repository.Url, "main", setup.Before, setup.After, [], ["envs/dev/rg-dev.yaml"], TestWorld.WebhookSecret, "delivery-abandoned");

        // The host disconnects right after the delivery was recorded, before the push is queued.
        using var abandoned = new CancellationTokenSource();
        var ledger = new CancellingLedger(setup.Runtime.Storage.Deliveries, abandoned);
        var function = new GitOps.Hosting.Handlers.WebhookHandler(
            setup.Runtime.Settings, setup.Runtime.Storage.Jobs, ledger, Microsoft.Extensions.Logging.Abstractions.NullLogger<GitOps.Hosting.Handlers.WebhookHandler>.Instance);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => function.RunAsync([.. headers], body, abandoned.Token));
        Assert.Empty(await QueuedAsync(setup.Runtime));

        var (status, answer) = await SendAsync(setup, body, headers);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("delivery-abandoned", Assert.Single(await QueuedAsync(setup.Runtime)).DeliveryId);
    }

    /// <summary>The real blob delivery log, cancelling the request once a delivery is recorded.</summary>
    private sealed class CancellingLedger(GitOps.Storage.Reconcile.BlobDeliveryLog log, CancellationTokenSource cancel) : GitOps.Hosting.Handlers.IDeliveryLedger
    {
        public async Task<bool> TryRecordAsync(string provider, string deliveryId, CancellationToken cancellationToken)
        {
            var first = await log.TryRecordAsync(provider, deliveryId, cancellationToken);
            await cancel.CancelAsync();
            return first;
        }

        public Task ForgetAsync(string provider, string deliveryId, CancellationToken cancellationToken = default) =>
            log.ForgetAsync(provider, deliveryId, cancellationToken);
    }

    [Fact]
    public async Task Every_Conformance_Delivery_Is_Authenticated_With_Its_Own_Repository_Settings()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var failures = new List<string>();
        var files = Directory.GetFiles(WebhookCorpus.Directory(), "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var sample = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var expected = sample["expected"]!.AsObject();
            var isPush = expected["isPush"]!.GetValue<bool>();
            var authentic = expected["authentic"]!.GetValue<bool>();
            var fullName = expected["repoFullName"]?.GetValue<string>() ?? "unknown/unknown";
            var extra = new Dictionary<string, string?>
            {
                ["GitOps:Repositories:app:FullName"] = fullName,
                ["GitOps:Repositories:app:WebhookSecret"] = sample["secret"]?.GetValue<string>(),

                // The corpus' clone URLs are not reachable from here; a push may then fail to fetch (503), never 401.
                ["GitOps:Repositories:app:Url"] = new Uri(Path.Combine(world.TempPath, "unreachable")).AbsoluteUri,
                ["GitOps:Container"] = AzuriteFixture.UniqueName("corpus"),
                ["GitOps:QueueName"] = AzuriteFixture.UniqueName("corpus"),
            };
            if (sample["auth"] is JsonObject auth)
            {
                extra["GitOps:Repositories:app:WebhookUser"] = auth["username"]?.GetValue<string>() ?? auth["user"]?.GetValue<string>();
                extra["GitOps:Repositories:app:WebhookSecret"] = auth["password"]?.GetValue<string>() ?? sample["secret"]?.GetValue<string>();
            }

            if (sample["headers"]?["X-Gitlab-Signature"] is not null || file.Contains("signed", StringComparison.Ordinal))
            {
                extra["GitOps:Repositories:app:WebhookSigningToken"] = sample["secret"]?.GetValue<string>();
            }

            var runtime = await world.RuntimeAsync(extra: extra);
            await using var server = await ApiServer.StartAsync(runtime);
            var headers = sample["headers"]!.AsObject().Select(h => new KeyValuePair<string, string>(h.Key, h.Value!.GetValue<string>())).ToList();
            var body = Encoding.UTF8.GetBytes(sample["body"]!.GetValue<string>());
            using var response = await server.Client.SendAsync(Deliveries.Request(body, headers));
            var status = (int)response.StatusCode;
            var queued = await runtime.Storage.Queue.GetApproximateMessageCountAsync();
            var name = Path.GetFileName(file);
            if (!authentic)
            {
                if (status != 401 || queued != 0)
                {
                    failures.Add($"{name}: unauthentic delivery answered {status} with {queued} job(s)");
                }
            }
            else if (!isPush)
            {
                if (status != 200 || queued != 0)
                {
                    failures.Add($"{name}: non-push answered {status} with {queued} job(s)");
                }
            }
            else if (status is 401 or 400 or 413 or 500)
            {
                failures.Add($"{name}: authentic push answered {status}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>A readable stream whose length is unknown, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
