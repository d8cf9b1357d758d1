using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Runs;

namespace GitOps.Functions.Tests;

[Collection(HandlerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InvocationTests(HandlerFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonObject Body)> InvokeAsync(string function, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1037.0.0");
        using var response = await fixture.Client.SendAsync(request);
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        Assert.True(json.ContainsKey("Outputs") && json.ContainsKey("Logs") && json.ContainsKey("ReturnValue"), json.ToJsonString());
        Assert.Empty(Assert.IsType<JsonObject>(json["Outputs"]));
        Assert.Null(json["ReturnValue"]);
        var text = json.ToJsonString();
        Assert.DoesNotContain(HandlerFixture.WebhookSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(GitOps.Testing.ArmSimulatorFixture.Token, text, StringComparison.Ordinal);
        return (response.StatusCode, json);
    }

    // The staging environment's writes answer 503 with this Retry-After (the test clears the faults).
    private void FailStagingWrites(TimeSpan retryAfter) => fixture.Arm.AddFault(new ArmFaultRule
    {
        Method = "PUT",
        PathPattern = "*/resourceGroups/rg-handler-staging*",
        StatusCode = 503,
        ErrorCode = "ServiceUnavailable",
        Message = "Injected by the handler tests.",
        RetryAfter = retryAfter,
    });

    private async Task<RunRecord> RunOfJobAsync(string environment, string jobId)
    {
        var runs = await fixture.Runtime.Storage.Runs.ListAsync($"{HandlerFixture.RepositoryName}/{environment}", 50);
        return Assert.Single(runs, r => r.JobId == jobId);
    }

    [Fact]
    public async Task Reconcile_Of_Double_Encoded_Host_Payload_Answers_200_And_Records_An_Applied_Run()
    {
        var jobId = Guid.NewGuid().ToString("N");

        var (status, body) = await InvokeAsync("reconcile", Payloads.QueueDoubleEncoded(Payloads.Job("dev", fixture.Head, jobId)));

        Assert.Equal(HttpStatusCode.OK, status);
        var run = await RunOfJobAsync("dev", jobId);
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(fixture.Head, run.Commit?.Sha);
        Assert.Contains(fixture.Arm.ResourceIds, id => id.EndsWith("/resourceGroups/rg-handler-dev", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains(run.RunId, StringComparison.Ordinal));
    }

    public static TheoryData<string> PayloadForms => new() { "double", "single", "base64", "object" };

    [Theory]
    [MemberData(nameof(PayloadForms))]
    public async Task Reconcile_Accepts_Every_Form_The_Host_Sends(string form)
    {
        var jobId = Guid.NewGuid().ToString("N");
        var job = Payloads.Job("prod", fixture.Head, jobId);
        var payload = form switch
        {
            "double" => Payloads.QueueDoubleEncoded(job),
            "single" => Payloads.QueueSingleEncoded(job),
            "base64" => Payloads.QueueBase64(job),
            _ => Payloads.QueueObject(job),
        };

        var (status, _) = await InvokeAsync("reconcile", payload);

        Assert.Equal(HttpStatusCode.OK, status);
        var run = await RunOfJobAsync("prod", jobId);
        Assert.Contains(run.Outcome, new[] { RunOutcome.Applied, RunOutcome.NoChanges });
    }

    [Fact]
    public async Task Reconcile_With_Transient_Arm_Failure_Answers_500_So_The_Host_Retries()
    {
        FailStagingWrites(retryAfter: TimeSpan.Zero);
        try
        {
            var jobId = Guid.NewGuid().ToString("N");

            var (status, body) = await InvokeAsync("reconcile", Payloads.QueueDoubleEncoded(Payloads.Job("staging", fixture.Head, jobId), dequeueCount: 2));

            Assert.Equal(HttpStatusCode.InternalServerError, status);
            var run = await RunOfJobAsync("staging", jobId);
            Assert.True(run.Transient);
            Assert.Equal(2, run.Attempt);
            Assert.Contains(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("retries", StringComparison.Ordinal));
        }
        finally
        {
            fixture.Arm.ClearFaults();
        }
    }

    [Fact]
    public async Task Reconcile_Throttled_By_Arm_Answers_200_And_Reenqueues_The_Job_Invisible_For_The_Wait()
    {
        // Retry-After beyond the ARM client's own retry delay, so the run stops and the reconciler re-enqueues.
        FailStagingWrites(retryAfter: TimeSpan.FromSeconds(120));
        try
        {
            var jobId = Guid.NewGuid().ToString("N");
            var queue = fixture.Runtime.Storage.Queue;
            var before = await queue.GetApproximateMessageCountAsync();

            var (status, body) = await InvokeAsync("reconcile", Payloads.QueueDoubleEncoded(Payloads.Job("staging", fixture.Head, jobId), dequeueCount: 2));

            // Success, so the host deletes this message instead of retrying it toward maxDequeueCount.
            Assert.Equal(HttpStatusCode.OK, status);
            var run = await RunOfJobAsync("staging", jobId);
            Assert.True(run.Transient);
            Assert.Contains("Throttled: ARM asked to wait 120 s", run.Summary, StringComparison.Ordinal);
            Assert.Contains(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains(run.RunId, StringComparison.Ordinal));

            // The same job is on the queue again, not visible before the wait.
            Assert.Equal(before + 1, await queue.GetApproximateMessageCountAsync());
            var visible = await queue.PeekMessagesAsync(32);
            Assert.DoesNotContain(visible, m => ReconcileJobJson.Parse(m.Text ?? m.RawText).JobId == jobId);
        }
        finally
        {
            fixture.Arm.ClearFaults();
        }
    }

    [Theory]
    [InlineData("\"\\\"hello\\\"\"")]
    [InlineData("\"{\\\"not\\\":\\\"a job\\\"}\"")]
    [InlineData("\"aGVsbG8gd29ybGQ=\"")]
    public async Task Reconcile_Of_A_Message_That_Is_Not_A_Job_Answers_500(string messageValue)
    {
        var payload = $"{{\"Data\":{{\"message\":{messageValue}}},\"Metadata\":{{\"DequeueCount\":\"1\",\"Id\":\"\\\"m-1\\\"\"}}}}";

        var (status, body) = await InvokeAsync("reconcile", payload);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("not a reconcile job", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"Metadata\":{}}")]
    public async Task Malformed_Invocation_Answers_500_With_The_Reason(string payload)
    {
        var (status, body) = await InvokeAsync("reconcile", payload);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("malformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poison_Records_A_Failed_Run_For_The_Job()
    {
        var jobId = Guid.NewGuid().ToString("N");

        var (status, _) = await InvokeAsync("poison", Payloads.QueueDoubleEncoded(Payloads.Job("staging", fixture.Head, jobId), dequeueCount: 5));

        Assert.Equal(HttpStatusCode.OK, status);
        var run = await RunOfJobAsync("staging", jobId);
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(5, run.Attempt);
    }

    [Fact]
    public async Task Poison_Of_A_Message_That_Is_Not_A_Job_Answers_500_And_Leaves_It()
    {
        var (status, body) = await InvokeAsync("poison", Payloads.QueueSingleEncoded("garbage"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains(body["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("stays in the poison queue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drift_Enqueues_Due_Environments_Once_For_Both_Timer_Payloads()
    {
        var (first, body) = await InvokeAsync("drift", Payloads.TimerWithoutStatus());
        var (second, secondBody) = await InvokeAsync("drift", Payloads.TimerWithStatus());

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Contains("infra/nightly", body["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("infra/nightly", secondBody["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var peeked = await fixture.Runtime.Storage.Queue.PeekMessagesAsync(32);
        var driftJobs = peeked
            .Select(m => ReconcileJobJson.Parse(m.Text ?? m.RawText))
            .Where(j => j.Trigger == RunTrigger.Drift && j.Environment == "nightly")
            .ToList();
        Assert.Single(driftJobs);
        Assert.Null(driftJobs[0].Commit);
    }
}
