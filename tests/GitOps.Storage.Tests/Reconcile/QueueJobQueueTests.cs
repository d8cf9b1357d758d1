using Azure.Storage.Queues;
using System.Text;
using GitOps.Core.Runs;
using GitOps.Storage.Queues;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class QueueJobQueueTests(AzuriteFixture azurite)
{
    private static ReconcileJob Job(string? commit = "0123456789abcdef0123456789abcdef01234567") => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = RunTrigger.Push,
        DeliveryId = "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        EnqueuedAt = DateTimeOffset.Parse("2026-11-21T08:00:00Z"),
        RequestedBy = "ada@example.com",
    };

    private StorageQueueClient NewQueue(string prefix = "jobs") => new(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName(prefix));

    private QueueJobQueue NewJobs(StorageQueueClient queue) => new(queue, NewQueue("drift"));

    [Fact]
    public async Task First_Enqueue_Creates_Both_Queues_And_Their_Poison_Queues()
    {
        var queue = NewQueue();
        var drift = NewQueue("drift");
        var jobs = new QueueJobQueue(queue, drift);

        await jobs.EnqueueAsync(Job());

        Assert.Equal(1, await queue.GetApproximateMessageCountAsync());
        Assert.Equal(0, await queue.GetPoisonQueueClient().GetApproximateMessageCountAsync());
        Assert.Equal(0, await drift.GetApproximateMessageCountAsync());
        Assert.Equal(0, await drift.GetPoisonQueueClient().GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task A_Drift_Job_Lands_On_The_Drift_Queue_And_Every_Other_Job_On_The_Reconcile_Queue()
    {
        var queue = NewQueue();
        var drift = NewQueue("drift");
        var jobs = new QueueJobQueue(queue, drift);
        var sweep = Job(commit: null) with { Trigger = RunTrigger.Drift };
        var events = Job(commit: null) with { Trigger = RunTrigger.Drift, Scope = JobScope.Events };
        var others = new[] { RunTrigger.Push, RunTrigger.Manual, RunTrigger.Rollback, RunTrigger.Retry }.Select(t => Job() with { Trigger = t }).ToList();

        await jobs.EnqueueAsync(sweep);
        await jobs.EnqueueAsync(events);
        foreach (var job in others)
        {
            await jobs.EnqueueAsync(job);
        }

        await jobs.EnqueueAsync(new PushJob
        {
            JobId = "push-1",
            Provider = "github",
            Repository = "platform",
            Branch = "main",
            After = "0123456789abcdef0123456789abcdef01234567",
            EnqueuedAt = DateTimeOffset.Parse("2026-11-21T08:00:00Z"),
        });

        var onDrift = (await drift.PeekMessagesAsync(32)).Select(m => ReconcileJobJson.Parse(m.Text!)).ToList();
        Assert.Equal([sweep.JobId, events.JobId], onDrift.Select(j => j.JobId));
        var onReconcile = (await queue.PeekMessagesAsync(32)).Select(m => m.Text!).ToList();
        Assert.Equal(others.Select(j => j.JobId), onReconcile.Take(others.Count).Select(t => ReconcileJobJson.Parse(t).JobId));
        Assert.Equal("push-1", PushJobJson.TryParse(Assert.Single(onReconcile.Skip(others.Count)))!.JobId);
        Assert.Same(drift, jobs.QueueFor(sweep));
        Assert.Same(queue, jobs.QueueFor(others[0]));
    }

    [Fact]
    public async Task Job_Is_Base64_Of_The_Job_Json_And_Parses_Back()
    {
        var queue = NewQueue();
        var job = Job();

        await NewJobs(queue).EnqueueAsync(job);
        var message = Assert.Single(await queue.ReceiveMessagesAsync(1));

        Assert.Equal(ReconcileJobJson.Serialize(job), Encoding.UTF8.GetString(Convert.FromBase64String(message.RawText)));
        Assert.Equal(ReconcileJobJson.ToQueueText(job), message.RawText);
        Assert.Equal(job, ReconcileJobJson.Parse(message.RawText));
    }

    [Fact]
    public async Task Delay_Hides_The_Message_And_Zero_Delay_Does_Not()
    {
        var queue = NewQueue();
        var jobs = NewJobs(queue);
        var later = Job(commit: null);

        await jobs.EnqueueAsync(later, TimeSpan.FromSeconds(30));

        Assert.Empty(await queue.PeekMessagesAsync(32));
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync());

        var now = Job();
        await jobs.EnqueueAsync(now);
        var visible = Assert.Single(await queue.PeekMessagesAsync(32));
        Assert.Equal(now.JobId, ReconcileJobJson.Parse(visible.Text!).JobId);
    }

    [Fact]
    public async Task Bad_Delays_And_Plain_Text_Queues_Are_Refused()
    {
        var jobs = NewJobs(NewQueue());
        var plain = new StorageQueueClient(
            StorageConnection.Parse(azurite.ConnectionString),
            "plain",
            new StorageQueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.EnqueueAsync(Job(), TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.EnqueueAsync(Job(), TimeSpan.FromDays(7)));
        var error = Assert.Throws<ArgumentException>(() => new QueueJobQueue(plain, NewQueue()));
        Assert.Contains("Base64", error.Message);
        Assert.Equal("queue", error.ParamName);
        var drift = Assert.Throws<ArgumentException>(() => new QueueJobQueue(NewQueue(), plain));
        Assert.Equal("driftQueue", drift.ParamName);
    }
}
