using System.Text.Json.Nodes;
using GitOps.Hosting.Settings;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// The worker's build output is a Functions app root: host.json (queue semantics, no custom handler),
/// worker.config.json naming the worker assembly, and the Sdk's function metadata with the bindings the host registers.
/// </summary>
public sealed class AppLayoutTests
{
    private const string ApiRoute = Functions.HttpFunctions.ApiRoute;

    private static readonly string s_output = BuildOutput();

    private static string BuildOutput()
    {
        // This test assembly runs from tests/GitOps.Functions.Tests/bin/<configuration>/<tfm>/; the worker is built
        // with the same configuration and framework.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        return Path.Combine(RepositoryRoot.Find(), "src", "GitOps.Functions", "bin", configuration, framework);
    }

    private static JsonNode ReadNode(string relativePath)
    {
        var path = Path.Combine(s_output, relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing from the build output {s_output}.");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }

    private static JsonObject Read(string relativePath) => Assert.IsType<JsonObject>(ReadNode(relativePath));

    private static JsonArray Bindings(string function) =>
        ReadNode("functions.metadata").AsArray().Single(f => f!["name"]!.GetValue<string>() == function)!["bindings"]!.AsArray();

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public void Worker_Config_Names_The_Worker_Assembly_At_The_App_Root_With_Worker_Indexing()
    {
        var description = Read("worker.config.json")["description"]!;

        Assert.Equal("dotnet-isolated", Text(description["language"]));
        Assert.Equal("GitOps.Functions.dll", Text(description["defaultWorkerPath"]));
        Assert.Equal("true", Text(description["workerIndexing"]));
        Assert.True(File.Exists(Path.Combine(s_output, "GitOps.Functions.dll")));
    }

    [Fact]
    public void The_Native_Git_Library_For_Linux_X64_Ships_With_The_App()
    {
        // The git source runs on libgit2 (no git program on Linux workers). The build output carries it under
        // runtimes/linux-x64/native, and the deps file names it as that RID's native asset, which is what
        // `dotnet publish -r linux-x64` copies next to the worker.
        var native = Path.Combine(s_output, "runtimes", "linux-x64", "native");
        var library = Assert.Single(Directory.Exists(native) ? Directory.GetFiles(native, "libgit2-*.so") : []);
        Assert.True(new FileInfo(library).Length > 1_000_000, $"{library} looks truncated.");

        var targets = Read("GitOps.Functions.deps.json")["targets"]!.AsObject().Select(t => t.Value!.AsObject());
        var assets = targets.SelectMany(t => t.Select(p => p.Value?["runtimeTargets"]?.AsObject())).Where(r => r is not null).SelectMany(r => r!);
        var asset = Assert.Single(assets, a => a.Key == $"runtimes/linux-x64/native/{Path.GetFileName(library)}");
        Assert.Equal("linux-x64", asset.Value!["rid"]!.GetValue<string>());
        Assert.Equal("native", asset.Value!["assetType"]!.GetValue<string>());
    }

    [Fact]
    public void Host_Json_Has_No_Custom_Handler_Or_Bundle_And_Keeps_The_Api_Prefix()
    {
        var host = Read("host.json");

        Assert.Equal("2.0", Text(host["version"]));
        Assert.Null(host["customHandler"]);

        // dotnet-isolated brings its host-side extensions in .azurefunctions/; a bundle would load a second copy.
        Assert.Null(host["extensionBundle"]);
        Assert.Equal("api", Text(host["extensions"]!["http"]!["routePrefix"]));
        Assert.True(TimeSpan.TryParse(Text(host["functionTimeout"]), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Host_Json_Queue_Semantics_Agree_With_The_Standalone_Listener()
    {
        var queues = Read("host.json")["extensions"]!["queues"]!;
        var standalone = new QueueListenerSettings();

        Assert.Equal(standalone.BatchSize, queues["batchSize"]!.GetValue<int>());
        Assert.Equal(standalone.NewBatchThreshold, queues["newBatchThreshold"]!.GetValue<int>());
        Assert.Equal(standalone.MaxDequeueCount, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal(5, queues["maxDequeueCount"]!.GetValue<int>());
        Assert.Equal(standalone.VisibilityTimeout, TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(standalone.MaxPollingInterval, TimeSpan.Parse(queues["maxPollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("base64", queues["messageEncoding"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("webhook", "Anonymous", "webhook/{provider?}", "post")]
    [InlineData("api", "Function", ApiRoute, "post")]
    [InlineData("status", "Function", "status/{*rest}", "get")]
    public void Http_Functions_Have_Exactly_One_Trigger_And_One_Http_Output(string function, string authLevel, string route, string method)
    {
        var bindings = Bindings(function);

        Assert.Equal(2, bindings.Count);
        var trigger = Assert.Single(bindings, b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("In", Text(trigger["direction"]));
        Assert.Equal(authLevel, Text(trigger["authLevel"]));
        Assert.Equal(route, Text(trigger["route"]));
        Assert.Contains(method, trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        var output = Assert.Single(bindings, b => b!["type"]!.GetValue<string>() == "http")!;
        Assert.Equal("Out", Text(output["direction"]));
    }

    [Theory]
    [InlineData("reconcile", "reconcile")]
    [InlineData("poison", "reconcile-poison")]
    [InlineData("reconcile-drift", "reconcile-drift")]
    [InlineData("drift-poison", "reconcile-drift-poison")]
    public void Queue_Functions_Trigger_On_Their_Queue_With_The_Message_Binding(string function, string queue)
    {
        var trigger = Assert.Single(Bindings(function))!;

        Assert.Equal("queueTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("String", Text(trigger["dataType"]));
        Assert.Equal(queue, Text(trigger["queueName"]));
        Assert.Equal(GitOpsSettings.StorageConnectionName, Text(trigger["connection"]));
        var drift = function.Contains("drift", StringComparison.Ordinal) ? "-drift" : string.Empty;
        Assert.Equal(new GitOpsSettings().QueueName + drift + (function.EndsWith("poison", StringComparison.Ordinal) ? "-poison" : string.Empty), queue);
    }

    [Theory]
    [InlineData("drift", GitOpsSettings.DriftScheduleSetting)]
    [InlineData("retention", GitOpsSettings.RetentionScheduleSetting)]
    public void Timers_Take_Their_Schedule_From_A_Flat_App_Setting_And_Never_Run_On_Startup(string function, string setting)
    {
        var trigger = Assert.Single(Bindings(function))!;

        Assert.Equal("timerTrigger", Text(trigger["type"]));

        // %A__B% never resolves in the host (it looks up the key A__B, stored as A:B): the name must be flat.
        Assert.Equal("%" + setting + "%", Text(trigger["schedule"]));
        Assert.DoesNotContain("__", setting, StringComparison.Ordinal);
        Assert.False(trigger["runOnStartup"]!.GetValue<bool>());
    }

    /// <summary>
    /// The Functions host orders routes by function name, not by ASP.NET precedence (azure-functions-host#9876), so
    /// <c>api</c> (sorted before <c>webhook</c>) must not match webhook paths, or deliveries would need a function key.
    /// </summary>
    [Theory]
    [InlineData("runs", true)]
    [InlineData("runs/20261121-abc", true)]
    [InlineData("environments", true)]
    [InlineData("environments/infra/prod/runs", true)]
    [InlineData("environments/infra/prod/sync", true)]
    [InlineData("webhook", false)]
    [InlineData("webhook/github", false)]
    [InlineData("admin/host/status", false)]
    public void Api_Route_Covers_The_Api_And_Leaves_Webhooks_To_The_Webhook_Function(string pathAfterPrefix, bool apiMatches)
    {
        var route = Bindings("api").Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!["route"]!.GetValue<string>();
        var webhookRoute = Bindings("webhook").Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!["route"]!.GetValue<string>();

        Assert.Equal(apiMatches, RouteMatches(route, pathAfterPrefix));
        if (pathAfterPrefix.StartsWith("webhook", StringComparison.Ordinal))
        {
            Assert.True(RouteMatches(webhookRoute, pathAfterPrefix));
        }
    }

    /// <summary>Matches like ASP.NET Core routing: the template, then each inline regex constraint (invariant, ignoring case).</summary>
    private static bool RouteMatches(string template, string path)
    {
        var parsed = Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(template);
        var values = new Microsoft.AspNetCore.Routing.RouteValueDictionary();
        if (!new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(parsed, new Microsoft.AspNetCore.Routing.RouteValueDictionary()).TryMatch("/" + path, values))
        {
            return false;
        }

        foreach (var parameter in parsed.Parameters)
        {
            foreach (var constraint in parameter.InlineConstraints)
            {
                if (constraint.Constraint.StartsWith("regex(", StringComparison.Ordinal))
                {
                    var pattern = constraint.Constraint["regex(".Length..^1];
                    var value = values[parameter.Name!]?.ToString() ?? string.Empty;
                    if (!System.Text.RegularExpressions.Regex.IsMatch(value, pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
