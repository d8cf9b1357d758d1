using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using GitOps.ArmSimulator;

namespace GitOps.Testing;

/// <summary>
/// Starts one ARM simulator on a free port for a test class (<c>IClassFixture</c>) or collection, and stops it after.
/// Tests share it, so each test should use its own resource group or subscription. Override <see cref="Configure"/>
/// in a subclass to change the options.
/// </summary>
public class ArmSimulatorFixture : IAsyncLifetime
{
    /// <summary>A subscription id tests can use; every subscription exists in the simulator.</summary>
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000aaaa";

    /// <summary>The bearer token <see cref="Client"/> sends; the simulator accepts any.</summary>
    public const string Token = "simulator-test-token";

    private ArmSimulatorServer? _server;
    private HttpClient? _client;

    /// <summary>The running simulator.</summary>
    public ArmSimulatorServer Server => _server ?? throw new InvalidOperationException("The simulator fixture has not been initialized.");

    /// <summary>The simulator's base address (https, loopback, free port).</summary>
    public Uri Endpoint => Server.Endpoint;

    /// <summary>The simulator's self-signed certificate: the one certificate clients should trust.</summary>
    public X509Certificate2 Certificate => Server.Certificate;

    /// <summary>The certificate as PEM.</summary>
    public string CertificatePem => Server.CertificatePem;

    /// <summary>The in-process control surface (seed, drift, faults, request log, reset).</summary>
    public ArmSimulatorState State => Server.State;

    /// <summary>An HttpClient with <see cref="Endpoint"/> as base address, trusting only <see cref="Certificate"/>, sending <c>Authorization: Bearer</c>.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("The simulator fixture has not been initialized.");

    /// <summary>A new handler that trusts exactly the simulator's certificate, e.g. for <c>Azure.Core.Pipeline.HttpClientTransport</c>.</summary>
    public HttpMessageHandler CreateHandler() => Server.CreateHttpMessageHandler();

    /// <summary>Starts the simulator.</summary>
    public async Task InitializeAsync()
    {
        var options = new ArmSimulatorOptions();
        Configure(options);
        _server = await ArmSimulatorServer.StartAsync(options);
        _client = new HttpClient(Server.CreateHttpMessageHandler(), disposeHandler: true)
        {
            BaseAddress = Server.Endpoint,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    /// <summary>Stops the simulator.</summary>
    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Changes the options before the simulator starts. The default keeps the simulator's defaults.</summary>
    protected virtual void Configure(ArmSimulatorOptions options)
    {
    }
}
