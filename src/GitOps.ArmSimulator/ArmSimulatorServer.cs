using System.Net;
using System.Security.Cryptography.X509Certificates;
using GitOps.ArmSimulator.Certificates;
using GitOps.ArmSimulator.ControlApi;
using GitOps.ArmSimulator.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.ArmSimulator;

/// <summary>
/// A running ARM simulator: an HTTPS server on <see cref="Endpoint"/> with a certificate made at start. Point an
/// ArmClient or an Azure.Core pipeline at it (trusting <see cref="Certificate"/>), and drive it through
/// <see cref="State"/> or the <c>/_sim</c> HTTP routes. Dispose to stop it.
/// </summary>
public sealed class ArmSimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ArmSimulatorEngine _engine;
    private int _disposed;

    private ArmSimulatorServer(WebApplication app, ArmSimulatorEngine engine, Uri endpoint, X509Certificate2 certificate, string certificatePem, ArmSimulatorState state)
    {
        _app = app;
        _engine = engine;
        Endpoint = endpoint;
        Certificate = certificate;
        CertificatePem = certificatePem;
        State = state;
    }

    /// <summary>The base address, e.g. <c>https://127.0.0.1:52731/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The self-signed server certificate (public part and private key) clients must trust.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate as PEM (<c>-----BEGIN CERTIFICATE-----</c>), without the private key.</summary>
    public string CertificatePem { get; }

    /// <summary>In-process control: seeding, drift, faults, async styles, the request log, reset.</summary>
    public ArmSimulatorState State { get; }

    /// <summary>Starts a simulator with the given options and returns once it accepts connections.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    /// <exception cref="InvalidDataException">A seed file is invalid; the message names the file.</exception>
    public static async Task<ArmSimulatorServer> StartAsync(ArmSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var address = string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host, out var parsed)
                ? parsed
                : throw new ArgumentException($"ArmSimulatorOptions.Host '{options.Host}' is not an IP address or 'localhost'.", nameof(options));

        var certificate = SelfSignedCertificate.Create(options.Host, DateTimeOffset.UtcNow);
        var pem = certificate.ExportCertificatePem() + "\n";
        if (options.CertificateOutputPath is { } output)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(output));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await File.WriteAllTextAsync(output, pem, cancellationToken).ConfigureAwait(false);
        }

        var engine = new ArmSimulatorEngine(options);
        if (options.SeedDirectory is { } seeds)
        {
            engine.Seeds.LoadDirectory(seeds);
        }

        var state = new ArmSimulatorState(engine);
        var pipeline = new ArmRequestPipeline(engine, new ControlApiHandler(state, () => pem));

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting its address.");
        var port = new Uri(bound).Port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : options.Host;
        return new ArmSimulatorServer(app, engine, new Uri($"https://{host}:{port}/"), certificate, pem, state);
    }

    /// <summary>
    /// An <see cref="HttpMessageHandler"/> that trusts exactly this simulator's certificate and nothing else. Wrap it in
    /// an <see cref="HttpClient"/>, or in <c>Azure.Core.Pipeline.HttpClientTransport</c> for the Azure SDK.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler() => CertificateTrust.CreateHandler(Certificate);

    /// <summary>Stops the server. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _engine.Events.DisposeAsync().ConfigureAwait(false);
        Certificate.Dispose();
    }

    private static void Validate(ArmSimulatorOptions options)
    {
        Require(options.Port is >= 0 and <= 65535, "Port", "must be 0 (a free port) or 1-65535");
        Require(options.Latency >= TimeSpan.Zero, "Latency", "must not be negative");
        Require(options.RetryAfter >= TimeSpan.Zero, "RetryAfter", "must not be negative");
        Require(options.AsyncPollCount >= 0, "AsyncPollCount", "must not be negative");
        Require(options.FaultRate is >= 0 and <= 1, "FaultRate", "must be between 0 and 1");
        Require(options.FaultRateStatusCodes.All(code => code is >= 400 and <= 599), "FaultRateStatusCodes", "must all be 400-599");
        Require(options.MaxRequestLogEntries > 0, "MaxRequestLogEntries", "must be positive");
        var throttling = options.Throttling ?? throw new ArgumentException("ArmSimulatorOptions.Throttling must not be null.", nameof(options));
        Require(throttling.ReadBucketSize > 0 && throttling.WriteBucketSize > 0 && throttling.DeleteBucketSize > 0,
            "Throttling bucket sizes", "must be positive");
        Require(throttling.ReadRefillPerSecond > 0 && throttling.WriteRefillPerSecond > 0 && throttling.DeleteRefillPerSecond > 0,
            "Throttling refill rates", "must be positive");
        Require(options.TimeProvider is not null, "TimeProvider", "must not be null");
        Require(!string.IsNullOrWhiteSpace(options.FailedOperationErrorCode), "FailedOperationErrorCode", "must not be empty");
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"ArmSimulatorOptions.{option} {rule}.", "options");
        }
    }
}
