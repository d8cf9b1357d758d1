using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Runs;
using GitOps.Core.Telemetry;
using GitOps.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GitOps.Hosting.Tests;

/// <summary>
/// The reconciler's OpenTelemetry signals, collected with the InMemory exporter from real runs (Azurite, the ARM
/// simulator): one trace per run with a span per step, the metrics a platform team alerts on, and no secret anywhere.
/// </summary>
// It adds a fault to the shared simulator, limited to its subscription, and clears faults when it ends.
[Collection(HostingCollection.ArmFaults)]
[Trait("Category", "Integration")]
public sealed class TelemetryTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    [Fact]
    public async Task A_Run_Is_One_Trace_With_A_Span_Per_Step_And_The_Metrics_Carry_No_Secret()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        // Other classes' runs emit on the same source at the same time: the exporters append from their threads.
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(GitOpsTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(GitOpsTelemetry.Name).AddInMemoryExporter(metrics).Build();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?> { ["GitOps:RetryAfterMaximum"] = "00:00:01" });
        var push = TestWorld.PushJob(commit);

        // Throttled once (a wait ARM imposed), then applied, then drifted out of band and corrected by a drift run.
        arm.State.AddFault(new ArmFaultRule { Method = "PUT", PathPattern = $"*/subscriptions/{world.SubscriptionId}/*", StatusCode = 503, RetryAfter = TimeSpan.FromSeconds(120), Count = 1 });
        try
        {
            var throttled = await runtime.Reconciler.ReconcileAsync(push);
            var applied = await runtime.Reconciler.ReconcileAsync(push with { JobId = Guid.NewGuid().ToString("N") });
            Assert.True(arm.State.SetOutOfBand($"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-dev", new JsonObject { ["tags"] = new JsonObject { ["owner"] = "someone-else" } }));
            var drift = await runtime.Reconciler.ReconcileAsync(push with { JobId = Guid.NewGuid().ToString("N"), Trigger = RunTrigger.Drift, Commit = null });
            tracing.ForceFlush();
            metering.ForceFlush();
            var collected = spans.Snapshot();
            var measured = metrics.Snapshot();

            Assert.Equal(RunOutcome.Failed, throttled.Run!.Outcome);
            Assert.Equal(RunOutcome.Applied, applied.Run!.Outcome);
            var root = Assert.Single(collected, s => s.OperationName == GitOpsTelemetry.RunActivity && Equals(s.GetTagItem("gitops.run_id"), applied.Run.RunId));
            var steps = collected.Where(s => s.TraceId == root.TraceId && s.ParentSpanId == root.SpanId).Select(s => s.OperationName).ToList();
            Assert.Equal(["gitops.fetch", "gitops.window", "gitops.claim", "gitops.load", "gitops.policy", "gitops.scope", "gitops.secrets", "gitops.target", "gitops.observe", "gitops.health", "gitops.plan", "gitops.apply", "gitops.record"], steps);
            Assert.Equal("app/dev", root.GetTagItem(GitOpsTelemetry.EnvironmentTag));
            Assert.Equal("applied", root.GetTagItem(GitOpsTelemetry.OutcomeTag));
            Assert.Equal(commit, root.GetTagItem("gitops.commit"));

            var names = measured.Select(m => m.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "gitops.runs", "gitops.run.duration", "gitops.queue.age", "gitops.arm.throttle_wait", "gitops.drifted_resources" }, names);
            Assert.True(drift.Run!.Outcome is RunOutcome.Applied or RunOutcome.DriftDetected, drift.Run.Summary);

            var values = collected.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString()))
                .Concat(measured.SelectMany(Tags))
                .Where(v => v is not null)
                .ToList();
            Assert.NotEmpty(values);
            foreach (var secret in new[] { TestWorld.WebhookSecret, ArmSimulatorFixture.Token, azurite.ConnectionString, GitOps.Testing.AzuriteFixture.AccountKey })
            {
                Assert.DoesNotContain(values, v => v!.Contains(secret, StringComparison.Ordinal));
            }
        }
        finally
        {
            arm.State.ClearFaults();
        }
    }

    private static IEnumerable<string?> Tags(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                yield return tag.Value?.ToString();
            }
        }
    }
}

/// <summary>A collection the exporters may append to from several threads while the test reads a snapshot.</summary>
internal sealed class LockedCollection<T> : System.Collections.ObjectModel.Collection<T>
{
    private readonly Lock _lock = new();

    public List<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. this];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (_lock)
        {
            base.InsertItem(index, item);
        }
    }
}
