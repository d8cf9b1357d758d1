using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Issue 11 item 6: a run ARM throttles re-enqueues its job after the Retry-After, bounded, within a budget.</summary>
public sealed class RetryAfterTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";
    private const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";
    private const string StorageId = GroupId + "/providers/Microsoft.Storage/storageAccounts/stapp01";

    private readonly FakeConfigSource _source = new();
    private readonly FakeArmClient _arm = new();
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryStateStore _states = new();
    private readonly InMemoryLock _locks = new();
    private readonly InMemoryQueue _queue = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-02T08:00:00Z"));

    private static readonly ReconcilerOptions Options = ReconcilerOptions.Default with
    {
        RetryAfterMinimum = TimeSpan.FromSeconds(1),
        RetryAfterMaximum = TimeSpan.FromMinutes(10),
        RetryAfterBudget = TimeSpan.FromMinutes(30),
    };

    private Reconciler Reconciler() => new(_source, _arm, _runs, _states, _locks, _queue, Options, _time);

    private string Commit() => _source.Commit("main", files => files
        .Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                branch: main
                subscriptionId: {Subscription}
            """)
        .Add("envs/prod/app.yaml", """
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-app
            location: westeurope
            ---
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: stapp01
            resourceGroup: rg-app
            location: westeurope
            sku: { name: Standard_LRS }
            kind: StorageV2
            """));

    private static ReconcileJob Job(string? commit) => new()
    {
        JobId = "job-1",
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = RunTrigger.Push,
        DeliveryId = "delivery-1",
        EnqueuedAt = DateTimeOffset.Parse("2026-11-02T07:59:00Z"),
    };

    private static ArmRequestException Throttled(TimeSpan? retryAfter, int status = 429) =>
        new(status, status == 429 ? "TooManyRequests" : "ServiceUnavailable", "Slow down.", ArmErrorKind.Transient, retryAfter: retryAfter);

    [Fact]
    public async Task Throttled_Write_Reenqueues_The_Same_Job_After_Retry_After_And_Completes_The_Message()
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = Throttled(TimeSpan.FromSeconds(90));

        var result = await Reconciler().ReconcileAsync(Job(sha), attempt: 1);

        Assert.Equal(JobDisposition.RetryAfter, result.Disposition);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
        var (again, delay) = Assert.Single(_queue.Enqueued);
        Assert.Equal(TimeSpan.FromSeconds(90), delay);
        Assert.Equal(("job-1", sha, RunTrigger.Push, "delivery-1"), (again.JobId, again.Commit, again.Trigger, again.DeliveryId));
        Assert.Equal(1, again.ThrottledRetries);
        Assert.Equal(_time.GetUtcNow(), again.ThrottledSince);

        var run = Assert.Single(_runs.Saved);
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Contains("Throttled", run.Summary, StringComparison.Ordinal);
        Assert.Contains("runs again at 2026-11-02 08:01:30 UTC", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_Observation_Reenqueues_With_The_Longest_Retry_After()
    {
        var sha = Commit();
        _arm.Failures[GroupId] = Throttled(TimeSpan.FromSeconds(20));
        _arm.Failures[StorageId] = Throttled(TimeSpan.FromSeconds(45), status: 503);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.RetryAfter, result.Disposition);
        Assert.Equal(TimeSpan.FromSeconds(45), Assert.Single(_queue.Enqueued).Delay);
        Assert.Equal(0, _arm.Calls.Count(c => c.Method is "PUT" or "DELETE"));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(0.2, 1)]
    [InlineData(7200.0, 600)]
    public async Task Retry_After_Is_Bounded_By_The_Options(double? askedSeconds, int expectedSeconds)
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = Throttled(askedSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.RetryAfter, result.Disposition);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Assert.Single(_queue.Enqueued).Delay);
    }

    // A 5xx without Retry-After, or with "Retry-After: 0" (try again now): the queue's ordinary retry fits.
    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    public async Task Transient_Failure_That_Asks_For_No_Time_Is_Left_To_The_Queue(double? retryAfterSeconds)
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = new ArmRequestException(
            503, "ServiceUnavailable", "Oops.", ArmErrorKind.Transient, retryAfter: retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Retry, result.Disposition);
        Assert.Empty(_queue.Enqueued);
    }

    [Fact]
    public async Task Fatal_Failure_Next_To_A_Throttle_Is_Not_Reenqueued()
    {
        var sha = Commit();
        _arm.WriteFailures[GroupId] = new ArmRequestException(400, "InvalidParameter", "Bad.", ArmErrorKind.Fatal, retryAfter: TimeSpan.FromSeconds(5));

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Complete, result.Disposition);
        Assert.Empty(_queue.Enqueued);
    }

    [Fact]
    public async Task Throttled_Reruns_Keep_Counting_And_End_As_A_Failure_Once_The_Budget_Is_Spent()
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = Throttled(TimeSpan.FromMinutes(10));
        var reconciler = Reconciler();
        var job = Job(sha);
        var dispositions = new List<JobDisposition>();

        // Every re-enqueued job is a new message (first delivery); the clock moves by the wait each time.
        for (var run = 0; run < 5; run++)
        {
            var result = await reconciler.ReconcileAsync(job, attempt: 1);
            dispositions.Add(result.Disposition);
            if (result.Disposition != JobDisposition.RetryAfter)
            {
                break;
            }

            var (next, delay) = _queue.Enqueued.Last();
            _time.Advance(delay);
            job = next;
        }

        // 08:00, 08:10, 08:20 re-enqueue (the waits end by 08:30); the run at 08:30 would wait past the 30 min budget.
        Assert.Equal([JobDisposition.RetryAfter, JobDisposition.RetryAfter, JobDisposition.RetryAfter, JobDisposition.Retry], dispositions);
        Assert.Equal(3, job.ThrottledRetries);
        Assert.Equal(DateTimeOffset.Parse("2026-11-02T08:00:00Z"), job.ThrottledSince);
        var last = _runs.Saved[^1];
        Assert.Equal(RunOutcome.Failed, last.Outcome);
        Assert.Contains(last.Warnings, w => w.Contains("wait budget", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttled_Job_Survives_The_Queue_Message_Round_Trip()
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = Throttled(TimeSpan.FromSeconds(30));
        await Reconciler().ReconcileAsync(Job(sha));
        var (again, _) = Assert.Single(_queue.Enqueued);

        var parsed = ReconcileJobJson.Parse(ReconcileJobJson.ToQueueText(again));

        Assert.Equal(again, parsed);
    }

    [Fact]
    public void Job_Never_Throttled_Keeps_Its_Wire_Form()
    {
        var text = ReconcileJobJson.Serialize(Job(null));

        Assert.DoesNotContain("throttled", text, StringComparison.Ordinal);
    }
}
