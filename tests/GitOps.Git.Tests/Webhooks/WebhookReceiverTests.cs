using GitOps.Git.Webhooks;

namespace GitOps.Git.Tests.Webhooks;

public sealed class WebhookReceiverTests
{
    [Fact]
    public async Task Replayed_Delivery_Is_A_Duplicate()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var log = new InMemoryDeliveryLog();
        var receiver = new WebhookReceiver(ConformanceCorpus.Options(sample), log);

        var first = await receiver.ReceiveAsync(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));
        var replay = await receiver.ReceiveAsync(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookOutcome.Accepted, first.Outcome);
        Assert.Equal(202, first.StatusCode);
        Assert.Equal(WebhookOutcome.Duplicate, replay.Outcome);
        Assert.Equal(200, replay.StatusCode);
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public async Task A_Replay_With_A_Fresh_Or_Missing_Delivery_Id_Is_A_Duplicate_By_Its_Signed_Content()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var log = new InMemoryDeliveryLog();
        var receiver = new WebhookReceiver(ConformanceCorpus.Options(sample), log);
        var headers = ConformanceCorpus.Headers(sample).ToList();
        Assert.Equal(WebhookOutcome.Accepted, (await receiver.ReceiveAsync(headers, ConformanceCorpus.Body(sample))).Outcome);

        var fresh = headers.Select(h => h.Key.Equals("X-GitHub-Delivery", StringComparison.OrdinalIgnoreCase) ? new KeyValuePair<string, string>(h.Key, Guid.NewGuid().ToString()) : h).ToList();
        var missing = headers.Where(h => !h.Key.Equals("X-GitHub-Delivery", StringComparison.OrdinalIgnoreCase)).ToList();

        Assert.Equal(WebhookOutcome.Duplicate, (await receiver.ReceiveAsync(fresh, ConformanceCorpus.Body(sample))).Outcome);
        Assert.Equal(WebhookOutcome.Duplicate, (await receiver.ReceiveAsync(missing, ConformanceCorpus.Body(sample))).Outcome);
    }

    [Fact]
    public async Task Unauthentic_And_Non_Push_Deliveries_Are_Not_Recorded()
    {
        var bad = ConformanceCorpus.Load("github-push-bad-signature.json");
        var ping = ConformanceCorpus.Load("bitbucket-pullrequest-created.json");
        var log = new InMemoryDeliveryLog();

        var rejected = await new WebhookReceiver(ConformanceCorpus.Options(bad), log).ReceiveAsync(ConformanceCorpus.Headers(bad), ConformanceCorpus.Body(bad));
        var ignored = await new WebhookReceiver(ConformanceCorpus.Options(ping), log).ReceiveAsync(ConformanceCorpus.Headers(ping), ConformanceCorpus.Body(ping));

        Assert.Equal(401, rejected.StatusCode);
        Assert.Equal(200, ignored.StatusCode);
        Assert.Equal(0, log.Count);
    }

    [Fact]
    public async Task Delivery_Ids_Are_Scoped_By_Provider()
    {
        var log = new InMemoryDeliveryLog();

        Assert.True(await log.TryRecordAsync("github", "x", CancellationToken.None));
        Assert.True(await log.TryRecordAsync("gitea", "x", CancellationToken.None));
        Assert.False(await log.TryRecordAsync("github", "x", CancellationToken.None));
    }
}
