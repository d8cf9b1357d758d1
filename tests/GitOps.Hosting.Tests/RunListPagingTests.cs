using System.Net;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>/api/runs and the status page page the run ledger: filters as query parameters, the next token in the response.</summary>
[Collection(HostingCollection.HttpApi)]
[Trait("Category", "Integration")]
public sealed class RunListPagingTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T10:00:00Z");

    private static RunRecord Run(string environment, int minute, RunOutcome outcome) => new()
    {
        RunId = RunIds.New(T0.AddMinutes(minute)),
        Repository = "app",
        Environment = environment,
        Trigger = minute % 2 == 0 ? RunTrigger.Drift : RunTrigger.Push,
        StartedAt = T0.AddMinutes(minute),
        FinishedAt = T0.AddMinutes(minute).AddSeconds(5),
        Outcome = outcome,
        Summary = $"run {minute}",
    };

    [Theory]
    [InlineData("/api/runs?top=many", "'top'")]
    [InlineData("/api/runs?top=-1", "'top'")]
    [InlineData("/api/runs?top=100000", "page size")]
    [InlineData("/api/environments/app/dev/runs?since=yesterday", "since")]
    public async Task A_Bad_Page_Request_Is_400_Naming_The_Parameter(string path, string named)
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiServer.StartAsync(runtime);

        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Next_Link_Carries_The_Caller_Query_Escaped_So_It_Cannot_Inject_A_Header()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        for (var m = 0; m < 3; m++)
        {
            await runtime.Storage.Runs.SaveAsync(Run("dev", m, RunOutcome.Applied));
        }

        await using var server = await ApiServer.StartAsync(runtime);

        using var response = await server.Client.GetAsync("/api/runs?top=1&x=%0D%0ASet-Cookie:%20a%3Db");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = Assert.Single(response.Headers.GetValues("Link"));
        Assert.Contains("x=%0D%0ASet-Cookie%3A%20a%3Db", link, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Api_Runs_Pages_With_Filters_And_A_Next_Token_And_The_Status_Page_Links_Older_Runs()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        var saved = new List<RunRecord>();
        for (var m = 0; m < 30; m++)
        {
            var run = Run(m % 3 == 0 ? "prod" : "dev", m, m % 5 == 0 ? RunOutcome.Failed : RunOutcome.Applied);
            saved.Add(run);
            await runtime.Storage.Runs.SaveAsync(run);
        }

        await using var server = await ApiServer.StartAsync(runtime);
        var client = server.Client;

        var seen = new List<string>();
        var path = "/api/environments/app/dev/runs?top=7";
        for (var pages = 0; path is not null; pages++)
        {
            Assert.True(pages < 10);
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            Assert.True(body.Count <= 7);
            Assert.All(body, r => Assert.Null(r!["plan"]));
            seen.AddRange(body.Select(r => r!["runId"]!.GetValue<string>()));
            var next = response.Headers.TryGetValues("X-Next-Token", out var tokens) ? tokens.Single() : null;
            if (next is not null)
            {
                Assert.Contains($"after={next}", Assert.Single(response.Headers.GetValues("Link")), StringComparison.Ordinal);
            }

            path = next is null ? null : $"/api/environments/app/dev/runs?top=7&after={next}";
        }

        Assert.Equal(saved.Where(r => r.Environment == "dev").OrderByDescending(r => r.StartedAt).Select(r => r.RunId), seen);

        using var failed = await client.GetAsync("/api/runs?outcome=failed&trigger=drift&since=2026-11-01T10:05:00Z&until=2026-11-01T10:25:00Z");
        var failedRuns = JsonNode.Parse(await failed.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal([20, 10], failedRuns.Select(r => int.Parse(r!["summary"]!.GetValue<string>()[4..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(failed.Headers.Contains("X-Next-Token"));

        using var bad = await client.GetAsync("/api/runs?outcome=exploded");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var forged = await client.GetAsync("/api/runs?after=..%2Fx");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var first = await client.GetStringAsync("/api/status");
        var older = System.Text.RegularExpressions.Regex.Match(first, "id=\"older-runs\" href=\"/api/status\\?after=([^\"]+)\"");
        Assert.True(older.Success, "the status page links its next page of runs");
        var second = await client.GetStringAsync($"/api/status?after={older.Groups[1].Value}");
        var newest = saved.OrderByDescending(r => r.StartedAt).ToList();
        Assert.Contains($"data-run=\"{newest[0].RunId}\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-run=\"{newest[0].RunId}\"", second, StringComparison.Ordinal);
        Assert.Contains($"data-run=\"{newest[25].RunId}\"", second, StringComparison.Ordinal);
        Assert.DoesNotContain("older-runs", second, StringComparison.Ordinal);
    }
}
