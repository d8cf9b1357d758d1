using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Tests;

/// <summary>The HTTP endpoints on a real Kestrel server on a free loopback port.</summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>Serves the endpoints as <c>gitops serve</c> does, with <paramref name="apiKey"/> as the <c>default</c> key (or none).</summary>
    public static Task<ApiServer> StartAsync(GitOpsRuntime runtime, string? apiKey = null) =>
        StartAsync(runtime, ApiAccess.Standalone(apiKey is null ? [] : [new NamedApiKey(NamedApiKey.DefaultName, apiKey)]));

    public static async Task<ApiServer> StartAsync(GitOpsRuntime runtime, ApiAccess access)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGitOpsEndpoints(runtime, access);
        await app.StartAsync();
        return new ApiServer(app, Address(app));
    }

    /// <summary>The address Kestrel bound (port 0 resolved).</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
