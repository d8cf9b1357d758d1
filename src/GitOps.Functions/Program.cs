using GitOps.Functions;
using GitOps.Hosting;
using GitOps.Hosting.Http;
using GitOps.Hosting.Options;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Telemetry;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The Functions host starts this process with its gRPC address on the command line and the app settings in the
// environment; the ASP.NET Core integration hands HTTP functions the original request, raw body included.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddGitOps(builder.Configuration);
builder.Services.AddSingleton<IValidateOptions<GitOpsOptions>, WorkerSettingsValidator>();

// Runs, their spans and the reconciler's metrics go to Application Insights through Azure Monitor when the app has
// its connection string (infra/ sets it); the worker's defaults put the function invocation around them.
var telemetry = builder.Services.AddGitOpsTelemetry(builder.Configuration);
telemetry.UseFunctionsWorkerDefaults();
if (builder.Configuration[ApplicationInsightsSetting] is { Length: > 0 } connectionString)
{
    telemetry
        .WithTracing(tracing => tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = connectionString))
        .WithMetrics(metrics => metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = connectionString));
}

// The host checks the api and status functions' keys before it forwards a request; an API key, when set, is
// required on top, and App Service Authentication's principal names the caller when it is enabled.
builder.Services.AddSingleton(sp =>
{
    var settings = sp.GetRequiredService<GitOpsSettings>();
    return ApiAccess.FunctionsHost(settings.ApiKeys, settings.AppServiceAuthentication);
});
builder.Build().Run();

/// <summary>The worker's entry point.</summary>
internal sealed partial class Program
{
    /// <summary>The Application Insights connection string the platform sets.</summary>
    internal const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}
