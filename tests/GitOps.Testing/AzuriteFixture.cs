using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GitOps.DevEnvironment;

namespace GitOps.Testing;

/// <summary>
/// Runs a private, in-memory Azurite (the version pinned in package.json, through the one launcher
/// <see cref="AzuriteProcess"/>) for the tests in a collection, and kills it on dispose. Installs node_modules with
/// <c>npm ci</c> once if missing (<see cref="AzuriteInstaller"/>).
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known account.</summary>
    public const string AccountName = AzuriteProcess.AccountName;

    /// <summary>Azurite's well-known, published account key (it only unlocks the local emulator).</summary>
    public const string AccountKey = AzuriteProcess.AccountKey;

    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_installDeadline = TimeSpan.FromMinutes(5);

    private AzuriteProcess? _azurite;

    /// <summary>The Blob endpoint, <c>http(s)://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => Running.BlobEndpoint;

    /// <summary>The Queue endpoint, <c>http(s)://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri QueueEndpoint => Running.QueueEndpoint;

    /// <summary>The Table service endpoint (the run ledger), e.g. <c>http://127.0.0.1:port/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint => Running.TableEndpoint;

    /// <summary>A full connection string for this instance (well-known account and key, explicit endpoints).</summary>
    public string ConnectionString => Running.ConnectionString;

    /// <summary>The self-signed server certificate when <see cref="UseHttps"/> is on.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>Whether Azurite serves HTTPS with a self-signed certificate (needed for bearer tokens).</summary>
    protected virtual bool UseHttps => false;

    /// <summary>Whether Azurite accepts bearer tokens (<c>--oauth basic</c>; requires HTTPS).</summary>
    protected virtual bool UseOAuth => false;

    private AzuriteProcess Running => _azurite ?? throw new InvalidOperationException("Azurite is not running: InitializeAsync has not completed.");

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

    /// <summary>Installs Azurite if needed, starts it and waits until its services answer.</summary>
    /// <returns>A task that completes when Azurite is ready.</returns>
    public async Task InitializeAsync()
    {
        var executable = await AzuriteInstaller.EnsureInstalledAsync(RepositoryRoot.Find(), s_installDeadline).ConfigureAwait(false);
        var workDirectory = AzuriteProcess.CreateWorkDirectory();
        var options = new AzuriteStartOptions(executable) { OAuth = UseOAuth, StartDeadline = s_startDeadline };
        if (UseHttps)
        {
            var (certificatePath, keyPath) = WriteSelfSignedCertificate(workDirectory);
            options = options with { CertificatePath = certificatePath, KeyPath = keyPath };
        }

        _azurite = await AzuriteProcess.StartAsync(options, workDirectory).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(s_startDeadline);
        try
        {
            await WaitUntilAnsweringAsync(deadline.Token).ConfigureAwait(false);
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
        if (_azurite is { } azurite)
        {
            _azurite = null;
            await azurite.DisposeAsync().ConfigureAwait(false);
        }

        Certificate?.Dispose();
        Certificate = null;
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
