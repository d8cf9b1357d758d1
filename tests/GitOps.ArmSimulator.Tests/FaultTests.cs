using System.Diagnostics;
using System.Net;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class FaultTests
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;

    [Fact]
    public async Task Counted_Rule_Fails_Matching_Requests_Then_Is_Spent_And_Faulted_Requests_Are_Not_Processed()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());
        using var client = ArmHttp.CreateClient(server);
        var group = await client.CreateGroupAsync(Sub, "rg-faults");
        server.State.AddFault(new ArmFaultRule
        {
            Method = "PUT",
            PathPattern = "*/providers/Microsoft.Storage/storageAccounts/*",
            StatusCode = 503,
            Count = 2,
            RetryAfter = TimeSpan.FromSeconds(3),
        });

        var id = $"{group}/providers/Microsoft.Storage/storageAccounts/st1";
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.PutAsync(id, """{"location":"westeurope"}""");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal("ServiceUnavailable", await failed.ErrorCodeAsync());
            Assert.Equal("3", failed.Header("Retry-After"));
            Assert.DoesNotContain(id, server.State.ResourceIds);
        }

        // GETs do not match the rule's method; the third PUT finds the rule spent.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(id, ArmHttp.StorageApi)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(id, """{"location":"westeurope"}""")).StatusCode);
    }

    [Fact]
    public async Task Probabilistic_Faults_Are_Reproducible_With_A_Seed()
    {
        async Task<string> RunAsync()
        {
            var options = new ArmSimulatorOptions { RandomSeed = 42 };
            options.Faults.Add(new ArmFaultRule { StatusCode = 409, ErrorCode = "AnotherOperationInProgress", Probability = 0.5 });
            await using var server = await ArmSimulatorServer.StartAsync(options);
            using var client = ArmHttp.CreateClient(server);
            var statuses = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await client.GetAsync($"/subscriptions/{Sub}/resourcegroups", "2022-09-01");
                statuses.Add((int)response.StatusCode);
            }

            return string.Join(',', statuses);
        }

        var first = await RunAsync();
        var second = await RunAsync();
        Assert.Equal(first, second);
        Assert.Contains("409", first, StringComparison.Ordinal);
        Assert.Contains("200", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Global_Fault_Rate_Fails_Roughly_That_Share_With_429_Or_5xx()
    {
        var options = new ArmSimulatorOptions { FaultRate = 0.2, RandomSeed = 7 };
        await using var server = await ArmSimulatorServer.StartAsync(options);
        using var client = ArmHttp.CreateClient(server);
        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await client.GetAsync($"/subscriptions/{Sub}/resourcegroups", "2022-09-01");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures++;
                Assert.Contains((int)response.StatusCode, new[] { 429, 500, 503 });
            }
        }

        Assert.InRange(failures, 20, 60);
    }

    [Fact]
    public async Task Latency_Delays_Answers_Globally_And_Per_Rule()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { Latency = TimeSpan.FromMilliseconds(150) });
        using var client = ArmHttp.CreateClient(server);
        server.State.AddFault(new ArmFaultRule { PathPattern = "/subscriptions/*/resourcegroups/slow", StatusCode = 500, Latency = TimeSpan.FromMilliseconds(200) });

        var watch = Stopwatch.StartNew();
        using var fast = await client.GetAsync($"/subscriptions/{Sub}/resourcegroups", "2022-09-01");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {watch.Elapsed}");

        watch.Restart();
        using var slow = await client.GetAsync($"/subscriptions/{Sub}/resourcegroups/slow", "2022-09-01");
        Assert.Equal(HttpStatusCode.InternalServerError, slow.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task Invalid_Fault_Rules_Are_Rejected()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());
        Assert.Throws<ArgumentException>(() => server.State.AddFault(new ArmFaultRule { StatusCode = 200 }));
        Assert.Throws<ArgumentException>(() => server.State.AddFault(new ArmFaultRule { StatusCode = 500, Probability = 1.5 }));
    }
}
