using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.DevEnvironment;

/// <summary>
/// A private, in-memory Azurite on ports the OS chooses (port 0), killed with its process tree on dispose. Azurite
/// reports the ports it listens on, so there is no probe-then-bind race: the endpoints are read from its output.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known, published account key: it unlocks only the local emulator.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Output kept for error messages: the head is what explains a failed start; a long-lived instance must not grow.
    private const int MaxOutputCharacters = 16_000;

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

    /// <summary>The Blob endpoint, <c>http(s)://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>The Queue endpoint.</summary>
    public Uri QueueEndpoint { get; private set; } = null!;

    /// <summary>The Table endpoint (the run ledger).</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>A full connection string for this instance (well-known account and key, explicit endpoints).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol={BlobEndpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>The working folder Azurite runs in (deleted on dispose); a caller may put its certificate there.</summary>
    public string WorkDirectory => _workDirectory;

    /// <summary>Makes the working folder of an instance about to start, for files it needs (a certificate).</summary>
    /// <returns>A new empty folder, deleted by the instance that <see cref="StartAsync"/> starts in it.</returns>
    public static string CreateWorkDirectory() => Directory.CreateTempSubdirectory("gitops-azurite-").FullName;

    /// <summary>Starts Azurite and waits until its blob, queue and table services report their ports.</summary>
    /// <param name="options">What to start.</param>
    /// <param name="workDirectory">The folder to run in (<see cref="CreateWorkDirectory"/>); a new one when null.</param>
    /// <param name="cancellationToken">Cancels the wait (the process is killed).</param>
    /// <returns>The running instance.</returns>
    /// <exception cref="InvalidOperationException">Azurite exited or did not report its ports in time; the message holds its output.</exception>
    public static async Task<AzuriteProcess> StartAsync(AzuriteStartOptions options, string? workDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        workDirectory ??= CreateWorkDirectory();
        var start = new ProcessStartInfo(options.Executable)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in options.PersistToDisk ? ["--location", workDirectory] : new[] { "--inMemoryPersistence", "--extentMemoryLimit", "256" })
        {
            start.ArgumentList.Add(argument);
        }

        // The SDK clients pin a service version Azurite knows (StorageClients), but other callers (the Functions
        // host's own SDK, a newer SDK in a test) must not fail on Azurite's version gate.
        if (options.SkipApiVersionCheck)
        {
            start.ArgumentList.Add("--skipApiVersionCheck");
        }

        if (options.CertificatePath is { } certificate)
        {
            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(certificate);
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(options.KeyPath ?? throw new ArgumentException("A certificate needs its key (KeyPath).", nameof(options)));
        }

        if (options.OAuth)
        {
            start.ArgumentList.Add("--oauth");
            start.ArgumentList.Add("basic");
        }

        var azurite = new AzuriteProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, workDirectory);
        var process = azurite._process;
        process.OutputDataReceived += (_, e) => azurite.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.OnOutput(e.Data);
        process.Exited += (_, _) => azurite._ready.TrySetException(new InvalidOperationException(
            $"Azurite exited with code {azurite.SafeExitCode()} before it was ready. Output:{Environment.NewLine}{azurite.Output()}"));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await azurite._ready.Task.WaitAsync(options.StartDeadline, cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch (TimeoutException)
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Azurite did not report its ports within {options.StartDeadline.TotalSeconds:0} s. Output:{Environment.NewLine}{azurite.Output()}");
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills Azurite and its children, and deletes its working folder.</summary>
    /// <returns>A task that completes when the process is gone.</returns>
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
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless.
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
            if (_output.Length < MaxOutputCharacters)
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
                (BlobEndpoint, QueueEndpoint, TableEndpoint) = (blob, queue, table);
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

    private string SafeExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
