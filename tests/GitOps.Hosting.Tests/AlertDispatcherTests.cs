using System.Diagnostics;
using GitOps.Core.Alerts;
using GitOps.Hosting.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Hosting.Tests;

/// <summary>The sinks' payloads and the dispatcher's retries against a real local HTTP receiver.</summary>
[Trait("Category", "Integration")]
public sealed class AlertDispatcherTests
{
    private static readonly HttpClient s_http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private static readonly Alert s_alert = new()
    {
        Kind = AlertKind.RunFailed,
        Environment = "app/dev",
        RunId = "20261121-0001",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Summary = "app/dev: run Failed. 1 of 1 changes failed.",
        Details = ["PUT rg-dev: 400 InvalidTemplate"],
        Time = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero),
    };

    // No test here waits for the attempt timeout to fire, so it is generous: a loaded machine stalled a local answer
    // for 5 s, which turned a 404 (never retried) into a timeout and a second attempt.
    private static AlertDispatcher Dispatcher(params AlertSinkSettings[] sinks) =>
        new(sinks, s_http, NullLogger<AlertDispatcher>.Instance) { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), AttemptTimeout = TimeSpan.FromSeconds(30) };

    private static AlertSinkSettings Sink(AlertReceiver receiver, string name, AlertSinkType type, string path, params AlertKind[] kinds) =>
        new() { Name = name, Type = type, Url = receiver.Url(path), Kinds = kinds };

    [Fact]
    public async Task Each_Sink_Type_Receives_Its_Payload_Shape()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var dispatcher = Dispatcher(
            Sink(receiver, "hook", AlertSinkType.Webhook, "/hook"),
            Sink(receiver, "teams", AlertSinkType.Teams, "/teams"),
            Sink(receiver, "slack", AlertSinkType.Slack, "/slack"));

        var deliveries = await dispatcher.SendAsync([s_alert]);

        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.True(d.Delivered && d.Attempts == 1 && d.Error is null, d.ToString()));
        Assert.All(receiver.Requests, r => Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal));

        var hook = Assert.Single(receiver.BodiesAt("/hook"))!;
        Assert.Equal("runFailed", hook["kind"]!.GetValue<string>());
        Assert.Equal("app/dev", hook["environment"]!.GetValue<string>());
        Assert.Equal("20261121-0001", hook["runId"]!.GetValue<string>());
        Assert.Equal(s_alert.Commit, hook["commit"]!.GetValue<string>());
        Assert.Equal(s_alert.Summary, hook["summary"]!.GetValue<string>());
        Assert.Equal("PUT rg-dev: 400 InvalidTemplate", hook["details"]![0]!.GetValue<string>());
        Assert.Equal(s_alert.Time, DateTimeOffset.Parse(hook["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        var teams = Assert.Single(receiver.BodiesAt("/teams"))!;
        Assert.Equal("message", teams["type"]!.GetValue<string>());
        var attachment = teams["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", attachment["content"]!["type"]!.GetValue<string>());
        var card = attachment["content"]!.ToJsonString();
        Assert.Contains("run failed in app/dev", card, StringComparison.Ordinal);
        Assert.Contains("FactSet", card, StringComparison.Ordinal);

        var slack = Assert.Single(receiver.BodiesAt("/slack"))!;
        Assert.Contains(s_alert.Summary, slack["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var blocks = slack["blocks"]!.AsArray();
        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains(blocks, b => b!["type"]!.GetValue<string>() == "section" && b["text"]!["text"]!.GetValue<string>().Contains("InvalidTemplate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_500_And_A_429_With_Retry_After_Are_Retried_Until_Delivered()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.Script("/hook", (500, null), (429, "0"));
        var dispatcher = Dispatcher(Sink(receiver, "hook", AlertSinkType.Webhook, "/hook"));

        var delivery = Assert.Single(await dispatcher.SendAsync([s_alert]));

        Assert.True(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, receiver.BodiesAt("/hook").Count);
    }

    [Fact]
    public async Task A_Sink_That_Always_Fails_Is_Reported_Without_Throwing_And_Others_Still_Receive()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.Always("/down", 503);
        receiver.Always("/gone", 404);
        var dispatcher = Dispatcher(
            Sink(receiver, "down", AlertSinkType.Slack, "/down"),
            Sink(receiver, "gone", AlertSinkType.Teams, "/gone"),
            Sink(receiver, "ok", AlertSinkType.Webhook, "/ok"));

        var clock = Stopwatch.StartNew();
        var deliveries = await dispatcher.SendAsync([s_alert]);

        var down = Assert.Single(deliveries, d => d.Sink == "down");
        Assert.False(down.Delivered);
        Assert.Equal(3, down.Attempts);
        Assert.Contains("503", down.Error, StringComparison.Ordinal);
        var gone = Assert.Single(deliveries, d => d.Sink == "gone");
        Assert.False(gone.Delivered);
        Assert.Equal(1, gone.Attempts);
        Assert.DoesNotContain(receiver.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), gone.Error, StringComparison.Ordinal);
        Assert.True(Assert.Single(deliveries, d => d.Sink == "ok").Delivered);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"retries took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_Unreachable_Sink_Is_Reported_After_Its_Attempts()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var url = receiver.Url("/hook");
        await receiver.DisposeAsync();
        var dispatcher = Dispatcher(new AlertSinkSettings { Name = "dead", Type = AlertSinkType.Webhook, Url = url });

        var delivery = Assert.Single(await dispatcher.SendAsync([s_alert]));

        Assert.False(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.StartsWith("request failed", delivery.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Kinds_Filter_Keeps_Other_Kinds_Away_From_A_Sink()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var dispatcher = Dispatcher(
            Sink(receiver, "drift-only", AlertSinkType.Webhook, "/drift", AlertKind.DriftDetected),
            Sink(receiver, "all", AlertSinkType.Webhook, "/all"));

        var deliveries = await dispatcher.SendAsync([s_alert, s_alert with { Kind = AlertKind.DriftDetected }]);

        Assert.Equal(3, deliveries.Count);
        Assert.Equal("driftDetected", Assert.Single(receiver.BodiesAt("/drift"))!["kind"]!.GetValue<string>());
        Assert.Equal(2, receiver.BodiesAt("/all").Count);
    }
}
