using GitOps.Hosting.Handlers;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// <c>gitops serve</c>: the same functions as the Functions app, driven by its own queue listeners (reconcile, drift,
/// their poison queues and ARM events: <see cref="ServeListeners"/>), NCRONTAB drift timer and HTTP endpoints. Several
/// processes on one storage account share the work safely: queue visibility hands each message to one of them and the
/// environment lease serialises reconciles.
/// </summary>
public static class ServeHost
{
    /// <summary>Where <c>gitops serve</c> answers Prometheus scrapes (the api's key applies, as on every /api route).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Builds the web application (not started).</summary>
    /// <param name="configuration">Settings (see <see cref="SettingsSources"/>).</param>
    /// <param name="url">Where to listen, e.g. <c>http://127.0.0.1:7071</c>.</param>
    /// <param name="timeProvider">Clock (tests).</param>
    /// <param name="cancellationToken">Unused: building does no I/O (kept for callers).</param>
    /// <exception cref="InvalidOperationException">Invalid settings (the message lists them), or a non-loopback <paramref name="url"/> without an API key.</exception>
    public static Task<WebApplication> BuildAsync(IConfiguration configuration, string url, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        _ = cancellationToken;
        var settings = GitOpsSettings.Load(configuration);

        // Closed by default: without a key, the api (which suspends, resumes and syncs) is reachable only from this
        // machine. Checked before anything starts, so a refused serve opens no port and touches no storage.
        var access = ApiAccess.Standalone(settings.ApiKeys);
        if (!access.RequiresKey && !ServeAddress.IsLoopback(url))
        {
            throw new InvalidOperationException(
                $"gitops serve without an API key listens on loopback only, and '{ServeAddress.Host(url)}' is not a loopback address. " +
                "Set GitOps__ApiKey (or GitOps__ApiKeys__<name>) to listen on other addresses, or use --host 127.0.0.1.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.Services.AddGitOps(configuration);

        // The same runs, spans and metrics as the worker; a Prometheus scrape at /metrics (behind the api's key).
        builder.Services.AddGitOpsTelemetry(configuration).WithMetrics(metrics => metrics.AddPrometheusExporter());
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddSingleton(GitOpsRuntime.FromServices);
        ServeListeners.AddTo(builder.Services, timeProvider);
        builder.Services.AddSingleton<IHostedService>(sp =>
            new DriftTimer(sp.GetRequiredService<DriftScheduler>(), settings.DriftSchedule, sp.GetRequiredService<ILogger<DriftTimer>>(), timeProvider));
        builder.Services.AddSingleton<IHostedService>(sp =>
            new RetentionTimer(sp.GetRequiredService<GitOpsRuntime>().Retention, settings.RetentionSchedule, sp.GetRequiredService<ILogger<RetentionTimer>>(), timeProvider));

        var app = builder.Build();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(MetricsPath), metrics => metrics.Use(async (context, next) =>
        {
            if (access.Authenticate(context.Request) is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context).ConfigureAwait(false);
        }));
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapGitOpsEndpoints(access);
        return Task.FromResult(app);
    }
}
