using System.Diagnostics;
using GitOps.Hosting.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GitOps.Hosting.Tests;

/// <summary>The composition both hosts share: validation at start with every problem at once, and no I/O to compose.</summary>
public sealed class AddGitOpsTests
{
    // Nothing listens on port 1: any call to it fails, so a composition that worked did not call storage.
    private const string Unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1";

    private static IHost Build(params (string Key, string? Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGitOps(configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Start_Fails_With_Every_Settings_Problem_At_Once_Each_Naming_Its_Setting()
    {
        using var host = Build(
            ("AzureWebJobsStorage", "just nonsense c2VjcmV0LWFjY291bnQta2V5"),
            ("GitOps:DriftSchedule", "every minute"),
            ("GitOps:Queue:BatchSize", "64"),
            ("GitOps:Repositories:app:Url", "ftp://example.com/app.git"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__DriftSchedule", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Queue__BatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Repositories__app__Url", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWFjY291bnQta2V5", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Composing_And_Starting_Call_No_Service_And_Every_Handler_Resolves()
    {
        using var host = Build(("AzureWebJobsStorage", Unreachable), ("GitOps:Repositories:app:Url", "https://example.com/app.git"));
        var watch = Stopwatch.StartNew();

        // Start does not wait on storage: the container is created in the background and a failure is only logged.
        await host.StartAsync();
        var handlers = new object[]
        {
            host.Services.GetRequiredService<WebhookHandler>(),
            host.Services.GetRequiredService<PushFanOutHandler>(),
            host.Services.GetRequiredService<ReconcileJobHandler>(),
            host.Services.GetRequiredService<PoisonJobHandler>(),
            host.Services.GetRequiredService<DriftScheduler>(),
            host.Services.GetRequiredService<ApiHandler>(),
            host.Services.GetRequiredService<StatusPageHandler>(),
        };
        await host.StopAsync();

        Assert.All(handlers, Assert.NotNull);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"composition took {watch.Elapsed}");
    }
}
