using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Cli.Quickstart;

/// <summary>
/// A private, in-memory Azurite (the npm-installed <c>node_modules/.bin/azurite</c> of the repository) on free ports,
/// killed with its process tree on dispose. The same start-up protocol as the test fixture: ports 0, then read the
/// ports Azurite reports it listens on.
/// </summary>
internal sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known account.</summary>
    public const string AccountName = "devstoreaccount1";

    // Azurite's published development key: it unlocks only the local emulator.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string _workDirectory;
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, Uri> _listening = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AzuriteProcess(Process process, string workDirectory)
    {
        _process = process;
        _workDirectory = workDirectory;
    }

    /// <summary>The connection string of this instance (explicit endpoints).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The Azurite executable under <paramref name="repositoryRoot"/>, or null when <c>npm ci</c> has not run.</summary>
    public static string? FindExecutable(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Starts Azurite and waits until its blob and queue services listen.</summary>
    /// <exception cref="InvalidOperationException">Azurite exited or did not report its ports in time; the message holds its output.</exception>
    public static async Task<AzuriteProcess> StartAsync(string executable, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var workDirectory = Directory.CreateTempSubdirectory("gitops-quickstart-azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--inMemoryPersistence", "--extentMemoryLimit", "256", "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var azurite = new AzuriteProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, workDirectory);
        var process = azurite._process;
        process.OutputDataReceived += (_, e) => azurite.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.OnOutput(e.Data);
        process.Exited += (_, _) => azurite._ready.TrySetException(new InvalidOperationException($"Azurite exited before it was ready. Output:{Environment.NewLine}{azurite.Output()}"));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await azurite._ready.Task.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch (TimeoutException)
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Azurite did not report its ports within {deadline.TotalSeconds:0} s. Output:{Environment.NewLine}{azurite.Output()}");
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills Azurite and its children, and deletes its working folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Never started, already gone, or did not die in time: nothing more to do.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp folder is harmless.
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<url>https?://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex Listening();

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 16_000)
            {
                _output.AppendLine(line);
            }

            var match = Listening().Match(line);
            if (!match.Success)
            {
                return;
            }

            _listening[match.Groups["service"].Value] = new Uri(match.Groups["url"].Value.TrimEnd('/') + "/" + AccountName);
            if (_listening.TryGetValue("Blob", out var blob) && _listening.TryGetValue("Queue", out var queue) && _listening.TryGetValue("Table", out var table))
            {
                ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={blob};QueueEndpoint={queue};TableEndpoint={table};";
                _ready.TrySetResult();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
