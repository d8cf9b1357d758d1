using System.Diagnostics;
using System.Text.RegularExpressions;
using GitOps.Testing;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// Azurite persisting to a temporary directory instead of memory: the test fixture's in-memory store stops at 256 MB,
/// and 50 records of a 10,000-resource environment are about 350 MB. Needs <c>npm ci</c> (the fixture's check is reused:
/// one fixture start installs Azurite if missing).
/// </summary>
internal sealed partial class DiskAzurite : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private DiskAzurite(Process process, string directory, string connectionString)
    {
        _process = process;
        _directory = directory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<DiskAzurite> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gitops-bench-azurite-").FullName;
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot.Find(), "node_modules", ".bin", "azurite"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--location", directory, "--silent", "--disableTelemetry", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1", "--blobPort", "0", "--queuePort", "0", "--tablePort", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        var endpoints = new Dictionary<string, string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (endpoints.Count < 3)
        {
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("Azurite exited while starting.");
            if (Listening().Match(line) is { Success: true } match)
            {
                endpoints[match.Groups["service"].Value] = match.Groups["url"].Value.TrimEnd('/') + "/" + AzuriteFixture.AccountName;
            }
        }

        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
            $"BlobEndpoint={endpoints["Blob"]};QueueEndpoint={endpoints["Queue"]};TableEndpoint={endpoints["Table"]};";
        return new DiskAzurite(process, directory, connection);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<url>https?://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex Listening();
}
