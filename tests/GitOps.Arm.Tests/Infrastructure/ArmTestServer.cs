using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Arm.Tests.Infrastructure;

/// <summary>A request the test server received.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt)
{
    public string? ApiVersion => System.Web.HttpUtility.ParseQueryString(Query)["api-version"];

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>A scripted answer.</summary>
internal sealed record TestResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static TestResponse Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, body, headers.ToDictionary(h => h.Name, h => h.Value));

    public static TestResponse Empty(int status, params (string Name, string Value)[] headers) =>
        new(status, null, headers.ToDictionary(h => h.Name, h => h.Value));

    public static TestResponse Error(int status, string code, string message, params (string Name, string Value)[] headers) =>
        Json(status, $$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}"}}""", headers);
}

/// <summary>
/// A real HTTPS server (Kestrel on 127.0.0.1, a port of its own) that answers from per-route scripts and records every
/// request, so that tests drive the real Azure SDK pipeline end to end.
/// </summary>
internal sealed class ArmTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Script> _scripts = new(StringComparer.OrdinalIgnoreCase);

    private ArmTestServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers requests no script covers; 404 ResourceNotFound by default.</summary>
    public Func<RecordedRequest, TestResponse> Fallback { get; set; } =
        _ => TestResponse.Error(404, "ResourceNotFound", "The resource was not found.");

    public static async Task<ArmTestServer> StartAsync(X509Certificate2? certificate = null)
    {
        certificate ??= TestCertificates.Trusted.ServerCertificate;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        WebApplication app = builder.Build();
        var server = new ArmTestServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Answers <paramref name="method"/> on <paramref name="path"/> with these responses in order; the last repeats.</summary>
    public void On(string method, string path, params TestResponse[] responses) =>
        _scripts[$"{method} {path}"] = new Script(responses);

    /// <summary>An absolute URL on this server.</summary>
    public string Url(string pathAndQuery) => new Uri(Endpoint, pathAndQuery.TrimStart('/')).AbsoluteUri;

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            DateTimeOffset.UtcNow);
        Requests.Enqueue(recorded);

        TestResponse response = _scripts.TryGetValue($"{recorded.Method} {recorded.Path}", out Script? script)
            ? script.Next()
            : Fallback(recorded);
        context.Response.StatusCode = response.Status;
        foreach ((string name, string value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private sealed class Script(TestResponse[] responses)
    {
        private int _next;

        public TestResponse Next()
        {
            int index = Interlocked.Increment(ref _next) - 1;
            return responses[Math.Min(index, responses.Length - 1)];
        }
    }
}
