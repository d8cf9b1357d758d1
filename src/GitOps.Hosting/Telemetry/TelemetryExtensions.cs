using GitOps.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GitOps.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for the reconciler's <see cref="GitOpsTelemetry"/> source and meter, shared by both hosts. Each
/// host adds its exporter: the worker Azure Monitor (Application Insights), <c>gitops serve</c> a Prometheus scrape
/// endpoint; either sends OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The standard OTLP endpoint setting; OTLP export is on when it is set.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Registers tracing and metrics for the reconciler (runs, their steps, their metrics).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app settings (for <see cref="OtlpEndpointSetting"/>).</param>
    /// <returns>The builder, for the host's exporters.</returns>
    public static OpenTelemetryBuilder AddGitOpsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(GitOpsTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(GitOpsTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
        {
            builder.UseOtlpExporter();
        }

        return builder;
    }
}
