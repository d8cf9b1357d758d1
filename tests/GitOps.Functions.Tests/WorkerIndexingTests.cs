using System.Text.Json.Nodes;
using GitOps.Functions.Tests.Harness.Rpc;
using GitOps.Hosting.Settings;
using NCrontab;

namespace GitOps.Functions.Tests;

/// <summary>What the real worker reports over the host protocol, checked against what the host must register.</summary>
[Collection(WorkerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerIndexingTests(WorkerHostFixture fixture)
{
    private static JsonObject Raw(RpcFunctionMetadata function, string type) =>
        function.RawBindings.Select(b => JsonNode.Parse(b)!.AsObject()).Single(b => string.Equals(b["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void The_Worker_Indexes_Exactly_The_Ten_Functions_From_Its_Own_Assembly()
    {
        var functions = fixture.Host.Functions;

        Assert.Equal(["api", "drift", "drift-poison", "events", "poison", "reconcile", "reconcile-drift", "retention", "status", "webhook"], functions.Keys.Order(StringComparer.Ordinal));
        Assert.All(functions.Values, f =>
        {
            Assert.Equal("dotnet-isolated", f.Language);
            Assert.Equal("GitOps.Functions.dll", Path.GetFileName(f.ScriptFile));
            Assert.StartsWith("GitOps.Functions.Functions.", f.EntryPoint, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(f.FunctionId));
        });
    }

    [Theory]
    [InlineData("reconcile", QueueNames.Reconcile)]
    [InlineData("poison", QueueNames.Poison)]
    [InlineData("reconcile-drift", QueueNames.Drift)]
    [InlineData("drift-poison", QueueNames.DriftPoison)]
    [InlineData("events", QueueNames.Events)]
    public void Queue_Functions_Trigger_On_The_Shared_Queue_Constant_As_Strings(string function, string queue)
    {
        var metadata = fixture.Host.Functions[function];
        var trigger = Raw(metadata, "queueTrigger");
        var binding = Assert.Single(metadata.Bindings);

        Assert.Equal(queue, trigger["queueName"]!.GetValue<string>());
        Assert.Equal(GitOpsSettings.StorageConnectionName, trigger["connection"]!.GetValue<string>());
        Assert.Equal("queueTrigger", binding.Value.Type);
        Assert.Equal(BindingInfo.Types.Direction.In, binding.Value.Direction);
        Assert.Equal(BindingInfo.Types.DataType.String, binding.Value.DataType);
        // The constants are the names the handlers send to by default (the drift queue follows the reconcile queue).
        var reconcile = new GitOpsSettings().QueueName;
        var drift = new GitOps.Storage.Reconcile.GitOpsStorageOptions { QueueName = reconcile }.EffectiveDriftQueueName;
        var expected = function switch
        {
            "events" => new GitOpsSettings().Events.QueueName,
            "poison" => reconcile + "-poison",
            "reconcile-drift" => drift,
            "drift-poison" => drift + "-poison",
            _ => reconcile,
        };
        Assert.Equal(expected, queue);
    }

    [Theory]
    [InlineData("drift", GitOpsSettings.DriftScheduleSetting)]
    [InlineData("retention", GitOpsSettings.RetentionScheduleSetting)]
    public void Timer_Schedules_Resolve_From_Flat_App_Settings_As_The_Host_Resolves_Them(string function, string setting)
    {
        var trigger = Raw(fixture.Host.Functions[function], "timerTrigger");
        var schedule = trigger["schedule"]!.GetValue<string>();

        // The host's name resolver looks %Name% up as a configuration key; an environment variable A__B is the key A:B.
        Assert.Equal($"%{setting}%", schedule);
        var resolved = fixture.Host.Settings[schedule.Trim('%')];
        Assert.NotNull(CrontabSchedule.TryParse(resolved, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
        Assert.False(trigger["runOnStartup"]!.GetValue<bool>());
        Assert.True(trigger["useMonitor"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("webhook", "Anonymous", "webhook/{provider?}", "post")]
    [InlineData("api", "Function", Functions.HttpFunctions.ApiRoute, "get,post")]
    [InlineData("status", "Function", "status/{*rest}", "get")]
    public void Http_Functions_Register_Their_Routes_Auth_Levels_And_An_Http_Output(string function, string authLevel, string route, string methods)
    {
        var metadata = fixture.Host.Functions[function];
        var trigger = Raw(metadata, "httpTrigger");

        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(methods.Split(','), trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        var output = Raw(metadata, "http");
        Assert.Equal("$return", output["name"]!.GetValue<string>());
        Assert.Equal(BindingInfo.Types.Direction.Out, metadata.Bindings["$return"].Direction);
    }

    [Fact]
    public void The_Worker_Advertises_Its_Own_Http_Listener_And_Raw_Bodies()
    {
        var capabilities = fixture.Host.Init.Capabilities;

        Assert.True(fixture.Host.HttpUri.IsLoopback, fixture.Host.HttpUri.ToString());
        Assert.Equal("true", capabilities["RawHttpBodyBytes"], ignoreCase: true);
        Assert.Equal("true", capabilities["HandlesWorkerTerminateMessage"], ignoreCase: true);
    }
}
