using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace GitOps.Hosting.Tests;

/// <summary>
/// A Key Vault data plane (GET /secrets/{name}?api-version=7.4 → {value, id}) served with the ARM simulator's own
/// certificate, which the runtime's resolver trusts through the same CA setting as ARM.
/// </summary>
internal sealed class FakeVault : IAsyncDisposable
{
    private readonly WebApplication _app;
    private (string Version, string Value) _current;

    private FakeVault(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Every request that reached the vault: its path and whether it carried a bearer token.</summary>
    public ConcurrentQueue<(string Path, bool HadToken)> Requests { get; } = new();

    public static async Task<FakeVault> StartAsync(ArmSimulatorFixture arm)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(arm.Certificate)));
        var app = builder.Build();
        var vault = new FakeVault(app);
        app.Use(async (context, next) =>
        {
            vault.Requests.Enqueue((context.Request.Path.Value ?? "/", context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)));
            await next(context);
        });
        app.MapGet("/secrets/{name}", (string name, HttpRequest request) =>
            request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                ? Results.Json(new JsonObject
                {
                    ["value"] = vault._current.Value,
                    ["id"] = $"{vault.Address}secrets/{name}/{vault._current.Version}",
                })
                : Results.StatusCode(401));
        await app.StartAsync();
        vault.Address = new Uri(app.Urls.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/");
        return vault;
    }

    public void Set(string version, string value) => _current = (version, value);

    public string SecretUrl(string name) => $"{Address}secrets/{name}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
