using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Functions.Tests.Harness;
using GitOps.Testing;
using Xunit.Abstractions;

namespace GitOps.Functions.Tests;

/// <summary>
/// The end-to-end push under the real Functions host, <c>func start</c> from Azure Functions Core Tools, when it is
/// installed (docs/functions-app.md, "Running the end-to-end test under func start"). Machines without it (this
/// repository's CI among them) run the same flow under <see cref="FunctionsHostHarness"/> instead.
/// </summary>
[Collection(WorkerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FuncStartTests(WorkerHostFixture fixture, ITestOutputHelper output)
{
    /// <summary>The Core Tools executable on PATH, or null.</summary>
    internal static string? FindFunc()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "func.cmd", "func.exe" } : ["func"];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    [Fact]
    public async Task A_Signed_Push_Is_Reconciled_Under_Func_Start_When_Core_Tools_Are_Installed()
    {
        if (FindFunc() is not { } func)
        {
            output.WriteLine("func (Azure Functions Core Tools) was looked for on PATH and is not there: the end-to-end push ran under the host harness only (WorkerEndToEndTests).");
            Assert.Null(FindFunc());
            return;
        }

        output.WriteLine($"Running the end-to-end push under {func} start.");
        var app = await WorkerApp.DirectoryAsync();
        var values = new JsonObject { ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated" };
        foreach (var (name, value) in fixture.World.Settings)
        {
            values[name] = value;
        }

        File.WriteAllText(Path.Combine(app, "local.settings.json"), new JsonObject { ["IsEncrypted"] = false, ["Values"] = values }.ToJsonString());
        var port = FreePort();
        var start = new ProcessStartInfo(func) { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var host = Process.Start(start)!;
        host.OutputDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        host.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var before = fixture.World.Repository.Head();
            var after = fixture.World.CommitEnvironment("rg-func-start", "team-c");
            var (body, headers) = WorkerWorld.GitHubPush(fixture.World.Repository.Url, before, after, ["envs/dev/rg-func-start.yaml"]);
            var status = await Poll.UntilAsync(
                async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/webhook/github") { Content = new ByteArrayContent(body) };
                    foreach (var (name, value) in headers)
                    {
                        request.Headers.Add(name, value);
                    }

                    try
                    {
                        using var response = await http.SendAsync(request);
                        return response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                },
                s => s is HttpStatusCode.Accepted or HttpStatusCode.OK,
                TimeSpan.FromMinutes(3),
                "func start to accept the webhook");
            var run = await Poll.UntilAsync(
                async () => (await fixture.World.RunsAsync()).FirstOrDefault(r => r.Commit?.Sha == after && r.Outcome == RunOutcome.Applied),
                r => r is not null,
                TimeSpan.FromMinutes(3),
                "an applied run under func start");

            Assert.Equal(HttpStatusCode.Accepted, status);
            Assert.Equal(RunTrigger.Push, run!.Trigger);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            File.Delete(Path.Combine(app, "local.settings.json"));
        }
    }

    private static int FreePort()
    {
        // func takes a port number, not 0; the gap between probing and binding is small on a test machine.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
