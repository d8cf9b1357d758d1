using System.Security.Authentication;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// Sends one logical ARM request: waits for the throttle budget, sends through the Azure.Core pipeline, feeds the
/// budget from the <c>x-ms-ratelimit-remaining-*</c> headers, and retries transient failures (429, 5xx, the
/// classifier's transient codes) with backoff that honours <c>Retry-After</c>. PUT and DELETE are idempotent in ARM,
/// so resending them is safe.
/// </summary>
internal sealed class ArmRequestSender
{

    private readonly HttpPipeline _pipeline;
    private readonly ArmResourceClientOptions _options;
    private readonly ThrottleBudget? _budget;
    private readonly ArmRequestCounters _counters;

    public ArmRequestSender(HttpPipeline pipeline, ArmResourceClientOptions options, ThrottleBudget? budget, ArmRequestCounters counters)
    {
        _pipeline = pipeline;
        _options = options;
        _budget = budget;
        _counters = counters;
    }

    private TimeProvider Time => _options.TimeProvider;

    /// <summary>
    /// Sends the request until it gets a non-error answer or the retries run out. 404 is returned, not thrown, when
    /// <paramref name="allowNotFound"/> is set (GET of a missing resource, DELETE of a gone one).
    /// </summary>
    /// <exception cref="ArmRequestException">A fatal error, or a transient one that outlasted the retries.</exception>
    public async Task<ArmHttpResponse> SendAsync(
        RequestMethod method,
        Uri uri,
        BinaryData? body,
        bool allowNotFound,
        CancellationToken cancellationToken)
    {
        ArmOperationKind kind = method == RequestMethod.Get ? ArmOperationKind.Read
            : method == RequestMethod.Delete ? ArmOperationKind.Delete
            : ArmOperationKind.Write;
        string subscription = ArmResourcePath.SubscriptionOf(uri.AbsolutePath);
        RetryOptions retry = _options.Retry;

        for (int attempt = 0; ; attempt++)
        {
            bool lastAttempt = attempt >= retry.MaxRetries;
            ArmHttpResponse response;
            long ticket = 0;
            if (_budget is not null)
            {
                ticket = await _budget.AcquireAsync(subscription, kind, cancellationToken).ConfigureAwait(false);
            }

            _counters.CountSent(kind);
            if (attempt > 0)
            {
                _counters.CountRetry();
            }

            try
            {
                response = await SendOnceAsync(method, uri, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (TranslateTransportFailure(ex, uri, cancellationToken) is { } failure)
            {
                if (failure.IsTransient && !lastAttempt)
                {
                    await Task.Delay(Backoff(attempt), Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw failure;
            }
            finally
            {
                _budget?.Release(subscription, kind);
            }

            ObserveRateLimitHeader(subscription, kind, ticket, response);
            TimeSpan? retryAfter = response.RetryAfter(Time.GetUtcNow());
            if (response.Status == 429)
            {
                _counters.CountThrottled();
                _budget?.ObserveThrottled(subscription, kind, retryAfter ?? Backoff(attempt));
            }

            if (response.Status < 300 || (allowNotFound && response.Status == 404))
            {
                return response;
            }

            if (response.Status < 400)
            {
                // The pipeline follows no redirect, so the token never leaves the endpoint; reading the empty body as a
                // resource would plan against nothing, so it is an error instead.
                throw new ArmRequestException(
                    response.Status, ArmErrorCodes.UnexpectedRedirect,
                    $"ARM answered {uri.GetLeftPart(UriPartial.Path)} with HTTP {response.Status} (a redirect); redirects are not followed, so the access token stays on the ARM endpoint. Check the ARM endpoint setting.",
                    ArmErrorKind.Fatal, response.CorrelationId);
            }

            ArmRequestException error = ToException(response, retryAfter);
            if (error.IsTransient && !lastAttempt)
            {
                TimeSpan delay = retryAfter is { } asked && asked > TimeSpan.Zero ? asked : Backoff(attempt);
                // ARM rejects anything sent before Retry-After; when that is longer than we are willing to wait, give the
                // caller the transient error (with RetryAfter) instead of burning attempts on guaranteed 429s.
                if (delay <= retry.MaxDelay)
                {
                    await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            throw error;
        }
    }

    /// <summary>Builds the exception for an error response from its ARM error body (code and message only).</summary>
    public static ArmRequestException ToException(ArmHttpResponse response, TimeSpan? retryAfter)
    {
        (string? code, string? message) = ArmResponseReader.ReadError(ArmResponseReader.TryReadObject(response.Content));
        code ??= response.Status switch
        {
            429 => "TooManyRequests",
            _ => $"Http{response.Status}",
        };
        message ??= $"ARM answered HTTP {response.Status} without an error message.";
        return new ArmRequestException(
            response.Status, code, message, ArmErrorClassifier.Classify(code, response.Status), response.CorrelationId, retryAfter);
    }

    private async Task<ArmHttpResponse> SendOnceAsync(RequestMethod method, Uri uri, BinaryData? body, CancellationToken cancellationToken)
    {
        using HttpMessage message = _pipeline.CreateMessage();
        Request request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(body);
        }

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        Response response = message.Response;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (HttpHeader header in response.Headers)
        {
            headers[header.Name] = header.Value;
        }

        return new ArmHttpResponse(response.Status, response.Content ?? BinaryData.Empty, headers);
    }

    // Only the header of the request's own kind (the one ARM sends for it): the ticket orders the responses of that
    // bucket alone, so a count for another bucket could not be told stale from fresh.
    private void ObserveRateLimitHeader(string subscription, ArmOperationKind kind, long ticket, ArmHttpResponse response)
    {
        if (_budget is not null
            && response.Header(RemainingHeader(kind)) is { } value
            && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long remaining))
        {
            _budget.ObserveRemaining(subscription, kind, remaining, ticket);
        }
    }

    private static string RemainingHeader(ArmOperationKind kind) => kind switch
    {
        ArmOperationKind.Read => "x-ms-ratelimit-remaining-subscription-reads",
        ArmOperationKind.Write => "x-ms-ratelimit-remaining-subscription-writes",
        _ => "x-ms-ratelimit-remaining-subscription-deletes",
    };

    private TimeSpan Backoff(int attempt)
    {
        RetryOptions retry = _options.Retry;
        double exponential = retry.Delay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        // Jitter spreads the retries of many concurrent reconciles so they do not hit ARM in lockstep.
        double jittered = exponential * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, retry.MaxDelay.TotalMilliseconds));
    }

    private static ArmRequestException? TranslateTransportFailure(Exception ex, Uri uri, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        string host = uri.GetLeftPart(UriPartial.Authority);
        if (FindInner<AuthenticationException>(ex) is { } tls)
        {
            return new ArmRequestException(
                0, ArmErrorCodes.TlsFailure,
                $"The TLS certificate of {host} is not trusted ({tls.Message}). For a private endpoint, pass its CA certificate (--arm-ca-cert).",
                ArmErrorKind.Fatal, innerException: ex);
        }

        if (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            return new ArmRequestException(
                0, ArmErrorCodes.CredentialUnavailable,
                $"No ARM access token: {ArmResponseReader.Sanitize(ex.Message)}",
                ArmErrorKind.Fatal, innerException: ex);
        }

        if (ex is RequestFailedException { Status: 0 } or HttpRequestException or IOException or OperationCanceledException)
        {
            // OperationCanceledException without our token cancelled is Azure.Core's per-try network timeout.
            return new ArmRequestException(
                0, ArmErrorCodes.NetworkError, $"Could not reach {host}: {ArmResponseReader.Sanitize(ex.Message)}",
                ArmErrorKind.Transient, innerException: ex);
        }

        return null;
    }

    private static T? FindInner<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }
}
