using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace GitOps.Testing;

/// <summary>
/// Runs a private, in-memory Azurite (the version pinned in package.json) on free ports for the tests in a
/// collection, and kills it on dispose. Installs node_modules with <c>npm ci</c> once if missing; a file lock keeps
/// parallel test projects from racing.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known, published account key (it only unlocks the local emulator).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_installDeadline = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim s_installGate = new(1, 1);
    private static readonly Regex s_listening = new(
        @"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<url>https?://\S+)",
        RegexOptions.CultureInvariant);

    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, Uri> _listening = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private string? _workDirectory;

    /// <summary>The Blob endpoint, <c>http(s)://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>The Queue endpoint, <c>http(s)://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri QueueEndpoint { get; private set; } = null!;

    /// <summary>The Table service endpoint (the run ledger), e.g. <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>A full connection string for this instance (well-known account and key, explicit endpoints).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol={BlobEndpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>The self-signed server certificate when <see cref="UseHttps"/> is on.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>Whether Azurite serves HTTPS with a self-signed certificate (needed for bearer tokens).</summary>
    protected virtual bool UseHttps => false;

    /// <summary>Whether Azurite accepts bearer tokens (<c>--oauth basic</c>; requires HTTPS).</summary>
    protected virtual bool UseOAuth => false;

    /// <summary>A lowercase name unique to this call, valid for queues and containers.</summary>
    /// <param name="prefix">A readable prefix (lowercase letters, digits, hyphens).</param>
    /// <returns>For example <c>leases-3f2a9c1e0b7d</c>.</returns>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    /// <summary>An HTTP handler that trusts exactly this instance's certificate (and nothing else that is invalid).</summary>
    /// <returns>A new handler.</returns>
    public HttpMessageHandler CreateTrustingHandler()
    {
        X509Certificate2? expected = Certificate;
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (expected is not null && certificate is not null && certificate.Thumbprint == expected.Thumbprint),
        };
    }

    /// <summary>Installs Azurite if needed, starts it and waits until both services answer.</summary>
    /// <returns>A task that completes when Azurite is ready.</returns>
    public async Task InitializeAsync()
    {
        string root = RepositoryRoot.Find();
        string azurite = await EnsureInstalledAsync(root).ConfigureAwait(false);
        _workDirectory = Directory.CreateTempSubdirectory("azurite-").FullName;

        var start = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = _workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--inMemoryPersistence", "--extentMemoryLimit", "256", "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (UseHttps)
        {
            (string certPath, string keyPath) = WriteSelfSignedCertificate(_workDirectory);
            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(certPath);
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(keyPath);
        }

        if (UseOAuth)
        {
            start.ArgumentList.Add("--oauth");
            start.ArgumentList.Add("basic");
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException(
            $"Azurite exited with code {SafeExitCode()} before it was ready. Output:\n{Output()}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(s_startDeadline);
        try
        {
            await _ready.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            await WaitUntilAnsweringAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"Azurite did not start within {s_startDeadline.TotalSeconds:0} s. Output:\n{Output()}");
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills Azurite and everything it started, and removes its working folder.</summary>
    /// <returns>A task that completes when the process is gone.</returns>
    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // Already gone, or did not die in time: nothing more a test run can do.
            }

            process.Dispose();
        }

        if (_workDirectory is not null && Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
            _workDirectory = null;
        }

        Certificate?.Dispose();
        Certificate = null;
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the head of the output for diagnostics; a long-running instance must not grow without bound.
            if (_output.Length < 16_000)
            {
                _output.AppendLine(line);
            }

            Match match = s_listening.Match(line);
            if (match.Success)
            {
                _listening[match.Groups["service"].Value] = new Uri(match.Groups["url"].Value.TrimEnd('/') + "/" + AccountName);
                if (_listening.TryGetValue("Blob", out Uri? blob) && _listening.TryGetValue("Queue", out Uri? queue) && _listening.TryGetValue("Table", out Uri? table))
                {
                    BlobEndpoint = blob;
                    QueueEndpoint = queue;
                    TableEndpoint = table;
                    _ready.TrySetResult();
                }
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
            return _process?.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient(CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (Uri endpoint in new[] { BlobEndpoint, QueueEndpoint })
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    // Any HTTP answer (an auth error included) proves the service is serving requests.
                    using HttpResponseMessage response = await client.GetAsync(endpoint + "?comp=list", cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<string> EnsureInstalledAsync(string root)
    {
        string azurite = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        if (File.Exists(azurite))
        {
            return azurite;
        }

        await s_installGate.WaitAsync().ConfigureAwait(false);
        try
        {
            using FileStream fileLock = await AcquireInstallLockAsync(root).ConfigureAwait(false);
            if (File.Exists(azurite))
            {
                return azurite;
            }

            var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "ci", "--no-audit", "--no-fund" })
            {
                start.ArgumentList.Add(argument);
            }

            using Process npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm; install Node.js 20 and npm.");
            Task<string> stdout = npm.StandardOutput.ReadToEndAsync();
            Task<string> stderr = npm.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(s_installDeadline);
            try
            {
                await npm.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                throw new TimeoutException($"'npm ci' in {root} did not finish within {s_installDeadline.TotalMinutes:0} minutes.");
            }

            if (npm.ExitCode != 0 || !File.Exists(azurite))
            {
                throw new InvalidOperationException(
                    $"'npm ci' in {root} failed (exit {npm.ExitCode}); Azurite is needed for storage tests.\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
            }

            return azurite;
        }
        finally
        {
            s_installGate.Release();
        }
    }

    private static async Task<FileStream> AcquireInstallLockAsync(string root)
    {
        // FileShare.None takes an exclusive OS lock (flock on Unix): other test processes wait here.
        string path = Path.Combine(Path.GetTempPath(), $"gitops-npm-ci-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16]}.lock");
        DateTime giveUp = DateTime.UtcNow + s_installDeadline;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            }
        }
    }

    private (string CertPath, string KeyPath) WriteSelfSignedCertificate(string directory)
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=azurite-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certPath = Path.Combine(directory, "cert.pem");
        string keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        Certificate = certificate;
        return (certPath, keyPath);
    }
}
