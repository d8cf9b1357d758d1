using GitOps.Functions.Invocation;
using GitOps.Hosting;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;

namespace GitOps.Functions;

/// <summary>
/// The custom handler as a web application: listens on <c>http://127.0.0.1:{port}</c> (the only address the host
/// calls), answers <c>GET /</c> at once for the host's readiness probe, serves the raw-forwarded HTTP functions
/// (<c>/api/webhook/{provider?}</c>, <c>/api/…</c>) through <see cref="GitOpsEndpoints"/>, and the JSON-protocol
/// invocations <c>POST /reconcile</c>, <c>/poison</c>, <c>/drift</c> through <see cref="InvocationEndpoints"/>.
/// </summary>
public static class HandlerApp
{
    /// <summary>Builds the application (not started) with one <see cref="GitOpsRuntime"/> for its lifetime.</summary>
    /// <param name="configuration">Settings: <c>AzureWebJobsStorage</c> and <c>GitOps__*</c> (see docs/settings.md).</param>
    /// <param name="port">The port to listen on (see <see cref="HandlerPort"/>).</param>
    /// <param name="timeProvider">Clock (tests).</param>
    /// <param name="cancellationToken">Start-up cancelled.</param>
    /// <exception cref="InvalidOperationException">Invalid settings; the message lists them by name, never their values.</exception>
    public static async Task<WebApplication> BuildAsync(IConfiguration configuration, int port, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = GitOpsSettings.Load(configuration);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        ConfigureLogging(builder.Logging);

        // One logger factory for the runtime, alive as long as the app. The host collects stdout into its log.
        var loggers = LoggerFactory.Create(ConfigureLogging);
        var runtime = await GitOpsRuntime.CreateAsync(settings, SettingsSources.Reader(configuration), loggers, timeProvider, cancellationToken: cancellationToken).ConfigureAwait(false);
        builder.Services.AddSingleton(runtime);

        var app = builder.Build();

        // GitOpsEndpoints also maps GET /, which the host polls until the handler answers. The host checks the api
        // function's key (authLevel function) before it forwards a request; an API key, when set, is required on top.
        // The handler listens on loopback, where only the host reaches it.
        app.MapGitOpsEndpoints(runtime, ApiAccess.FunctionsHost(settings.ApiKeys, settings.AppServiceAuthentication));
        app.MapInvocationEndpoints(runtime, loggers.CreateLogger("GitOps.Functions.Invocation"));
        app.Lifetime.ApplicationStopped.Register(loggers.Dispose);
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
    }
}
