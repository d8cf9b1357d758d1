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

    private StorageQueueClient NewQueue() => new(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("jobs"));

    [Fact]
    public async Task First_Enqueue_Creates_The_Queue_And_Its_Poison_Queue()
    {
        var queue = NewQueue();
        var jobs = new QueueJobQueue(queue);

        await jobs.EnqueueAsync(Job());

        Assert.Equal(1, await queue.GetApproximateMessageCountAsync());
        Assert.Equal(0, await queue.GetPoisonQueueClient().GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Job_Is_Base64_Of_The_Job_Json_And_Parses_Back()
    {
        var queue = NewQueue();
        var job = Job();

        await new QueueJobQueue(queue).EnqueueAsync(job);
        var message = Assert.Single(await queue.ReceiveMessagesAsync(1));

        Assert.Equal(ReconcileJobJson.Serialize(job), Encoding.UTF8.GetString(Convert.FromBase64String(message.RawText)));
        Assert.Equal(ReconcileJobJson.ToQueueText(job), message.RawText);
        Assert.Equal(job, ReconcileJobJson.Parse(message.RawText));
    }

    [Fact]
    public async Task Delay_Hides_The_Message_And_Zero_Delay_Does_Not()
    {
        var queue = NewQueue();
        var jobs = new QueueJobQueue(queue);
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
        var jobs = new QueueJobQueue(NewQueue());
        var plain = new StorageQueueClient(
            StorageConnection.Parse(azurite.ConnectionString),
            "plain",
            new StorageQueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.EnqueueAsync(Job(), TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => jobs.EnqueueAsync(Job(), TimeSpan.FromDays(7)));
        var error = Assert.Throws<ArgumentException>(() => new QueueJobQueue(plain));
        Assert.Contains("Base64", error.Message);
    }
}
