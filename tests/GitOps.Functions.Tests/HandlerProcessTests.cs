using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>The built handler executable, started the way the Functions host starts it: settings and port in its environment.</summary>
[Collection(HandlerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HandlerProcessTests(HandlerFixture fixture)
{
    private static readonly string s_handlerDll = Path.Combine(AppContext.BaseDirectory, "handler.dll");

    private static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(s_handlerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FUNCTIONS_", StringComparison.Ordinal) || k.StartsWith("GitOps__", StringComparison.Ordinal) || k == "AzureWebJobsStorage").ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task Handler_Started_By_The_Host_Answers_The_Readiness_Probe_On_The_Given_Port()
    {
        // The host chooses the port and the handler must take that one, so this test has to choose a port itself (port 0
        // would not test the contract). Another process can take a probed port before the handler binds it: that
        // attempt exits with "address already in use" and is made again with another port.
        for (var attempt = 1; ; attempt++)
        {
            var port = ProbeFreePort();
            using var process = Start(new Dictionary<string, string>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
                ["AzureWebJobsStorage"] = fixture.StorageConnectionString,
                ["GitOps__Container"] = AzuriteFixture.UniqueName("process"),
                ["GitOps__QueueName"] = AzuriteFixture.UniqueName("reconcile"),
            });
            try
            {
                var status = await ProbeAsync(process, port);
                if (process.HasExited)
                {
                    var error = await process.StandardError.ReadToEndAsync();
                    if (attempt < 3 && error.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    Assert.Fail($"The handler exited with {process.ExitCode}: {error}");
                }

                Assert.Equal(HttpStatusCode.OK, status);
                return;
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }
        }
    }

    private static async Task<HttpStatusCode?> ProbeAsync(Process process, int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/");
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the host polls every 25 ms the same way.
                await Task.Delay(50);
            }
        }

        return null;
    }

    private static int ProbeFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Handler_Without_A_Port_Exits_With_2_And_Says_How_To_Give_One()
    {
        using var process = Start(new Dictionary<string, string>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_With_Invalid_Settings_Exits_With_1_Naming_The_Setting_Not_Secrets()
    {
        using var process = Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = fixture.StorageConnectionString,
            ["GitOps__Queue__BatchSize"] = "99",
            ["GitOps__Repositories__infra__Url"] = "https://example.com/acme/infra.git",
            ["GitOps__Repositories__infra__Token"] = "env:GITOPS_TEST_MISSING_TOKEN_VARIABLE",
        }, "--port", "7072"); // never bound: the settings are refused before Kestrel starts
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("GitOps__Queue__BatchSize is '99'", error, StringComparison.Ordinal);
        Assert.Contains("GitOps__Repositories__infra__Token", error, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, error, StringComparison.Ordinal);
    }
}
