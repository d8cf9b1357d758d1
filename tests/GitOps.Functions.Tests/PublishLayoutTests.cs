using System.Text.Json.Nodes;
using GitOps.Functions.Tests.Harness;

namespace GitOps.Functions.Tests;

/// <summary>
/// The published worker is a deployable app root, as `dotnet publish src/GitOps.Functions` in azure-pipelines.yml
/// produces it: what the Functions host reads at the root, the host-side extensions, and the worker itself.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PublishLayoutTests
{
    private static async Task<string> AppAsync() => await WorkerApp.DirectoryAsync();

    [Fact]
    public async Task The_Root_Holds_Host_Json_Worker_Config_Extensions_And_The_Worker_Assembly()
    {
        var app = await AppAsync();

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "host.json")))!;
        Assert.Null(host["customHandler"]);
        Assert.Equal("base64", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());

        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        var assembly = worker["defaultWorkerPath"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(app, assembly)), $"{assembly} is not in the app root.");
        Assert.True(File.Exists(Path.Combine(app, "GitOps.Functions.runtimeconfig.json")));

        // The queue trigger runs in the host from the extension the Sdk built into .azurefunctions/.
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "extensions.json")))!["extensions"]!.AsArray();
        var queues = Assert.Single(extensions, e => e!["name"]!.GetValue<string>() == "AzureStorageQueues")!;
        var hintPath = queues["hintPath"]!.GetValue<string>();
        Assert.StartsWith("./.azurefunctions/", hintPath, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(app, hintPath)), $"{hintPath} is missing.");
    }

    [Fact]
    public async Task The_App_Carries_The_Native_Git_Library_And_No_Custom_Handler_Leftovers()
    {
        var app = await AppAsync();

        var native = Path.Combine(app, "runtimes", "linux-x64", "native");
        Assert.Single(Directory.Exists(native) ? Directory.GetFiles(native, "libgit2-*.so") : []);
        Assert.Empty(Directory.GetFiles(app, "function.json", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(app, "handler")), "the custom handler's executable is still published");
    }
}
