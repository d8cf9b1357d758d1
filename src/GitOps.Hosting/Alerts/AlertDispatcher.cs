using System.Net;
using System.Net.Http.Json;
using GitOps.Core.Alerts;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Alerts;

/// <summary>
/// Posts alerts to every configured sink that accepts their kind, retrying 429, 408, 5xx and transport failures with
/// exponential backoff (a 429's or 503's <c>Retry-After</c> is honoured up to <see cref="MaxDelay"/>). Never throws:
/// each sink's outcome is returned so it can be recorded, and a sink that fails never fails the run.
/// </summary>
/// <param name="sinks">The configured sinks.</param>
/// <param name="http">The client to post with (its own timeout is not relied on: each attempt has <see cref="AttemptTimeout"/>).</param>
/// <param name="logger">Log: sink names and status codes, never URLs (they carry the sink's credential).</param>
public sealed class AlertDispatcher(IReadOnlyList<AlertSinkSettings> sinks, HttpClient http, ILogger<AlertDispatcher> logger)
{
    /// <summary>Requests per alert and sink.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The first retry's delay; doubled for each further one.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, whatever <c>Retry-After</c> asks, so a run is never held long.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one request may take.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>True when at least one sink is configured.</summary>
    public bool HasSinks => sinks.Count > 0;

    /// <summary>Sends each alert to each sink that accepts it; returns one delivery per (alert, sink).</summary>
    /// <param name="alerts">The alerts.</param>
    /// <param name="cancellationToken">Host shutdown (ends waiting; the undelivered alerts are reported as such).</param>
    public async Task<IReadOnlyList<AlertDelivery>> SendAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var deliveries = new List<AlertDelivery>();
        foreach (var alert in alerts)
        {
            var sends = sinks.Where(s => s.Accepts(alert.Kind)).Select(sink => SendOneAsync(sink, alert, cancellationToken));
            deliveries.AddRange(await Task.WhenAll(sends).ConfigureAwait(false));
        }

        return deliveries;
    }

    private async Task<AlertDelivery> SendOneAsync(AlertSinkSettings sink, Alert alert, CancellationToken cancellationToken)
    {
        var body = AlertPayloads.For(sink.Type, alert);
        string? error = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            bool retryable;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(AttemptTimeout);
                using var response = await http.PostAsJsonAsync(sink.Url, body, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    logger.LogInformation("Alert {Kind} for {Environment} delivered to sink {Sink} (attempt {Attempt}).", alert.Kind, alert.Environment, sink.Name, attempt);
                    return new AlertDelivery(sink.Name, alert.Kind, Delivered: true, attempt, Error: null);
                }

                var status = (int)response.StatusCode;
                error = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
                retryable = status is 408 or 429 || status >= 500;
                retryAfter = RetryAfter(response);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                error = "cancelled (host shutting down)";
                return Failed(sink, alert, attempt, error);
            }
            catch (OperationCanceledException)
            {
                error = $"no answer within {AttemptTimeout.TotalSeconds:0.#} s";
                retryable = true;
            }
            catch (HttpRequestException failure)
            {
                // The message names the host at most (never the path or query that holds the webhook's key).
                error = $"request failed: {failure.HttpRequestError}";
                retryable = true;
            }

            if (!retryable || attempt == MaxAttempts)
            {
                return Failed(sink, alert, attempt, error);
            }

            var delay = retryAfter ?? BaseDelay * Math.Pow(2, attempt - 1);
            try
            {
                await Task.Delay(delay > MaxDelay ? MaxDelay : delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Failed(sink, alert, attempt, "cancelled (host shutting down)");
            }
        }

        return Failed(sink, alert, MaxAttempts, error);
    }

    private AlertDelivery Failed(AlertSinkSettings sink, Alert alert, int attempts, string? error)
    {
        logger.LogWarning("Alert {Kind} for {Environment} was not delivered to sink {Sink} after {Attempts} attempt(s): {Error}", alert.Kind, alert.Environment, sink.Name, attempts, error);
        return new AlertDelivery(sink.Name, alert.Kind, Delivered: false, attempts, error);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return header.Date is { } date ? (date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : null;
    }
}
