using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using GitOps.Cli;

namespace GitOps.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class ArmSimCommandTests
{
    [Fact]
    public async Task Armsim_Prints_Its_Url_Serves_Https_With_The_Exported_Certificate_And_Stops_On_Cancel()
    {
        using var folder = new TempFolder();
        var pem = Path.Combine(folder.Path, "sim.pem");
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = GitOpsCli.RunAsync(["armsim", "--port", "0", "--cert-out", pem, "--async-style", "Microsoft.Storage/storageAccounts=location"], new CliConsole(output, error, false), stop.Token);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? url = null;
        while (url is null && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            url = output.ToString().Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("https://", StringComparison.Ordinal));
            await Task.Delay(50);
        }

        Assert.NotNull(url);
        Assert.True(File.Exists(pem));
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(pem));
        using var handler = new HttpClientHandler
        {
            // Trust exactly the exported certificate, as --arm-ca-cert does.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Thumbprint == ca.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any");
        var response = await http.GetAsync("subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-missing?api-version=2024-03-01");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ResourceGroupNotFound", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("--arm-endpoint", error.ToString(), StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Armsim_Stops_Promptly_On_Sigterm()
    {
        // The real process, since a signal is what a container runtime or systemd sends to stop it.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "gitops.dll"), "armsim", "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var url = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("https://", url, StringComparison.Ordinal);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            // Before the fix the process ignored SIGTERM and never exited; the deadline only bounds the test on a loaded
            // machine (speed is not what is checked here).
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(ExitCodes.Success, process.ExitCode);
            Assert.Contains("SIGTERM stops it", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Armsim_Rejects_An_Unknown_Async_Style()
    {
        var (code, _, error) = await CliRunner.RunAsync("armsim", "--async-style", "Microsoft.Storage/storageAccounts=eventually");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("TYPE=STYLE", error, StringComparison.Ordinal);
    }
}
