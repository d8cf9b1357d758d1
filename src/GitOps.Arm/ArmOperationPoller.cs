using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// Follows ARM's asynchronous-operation protocol to the end (docs/arm-protocol.md §1): <c>Azure-AsyncOperation</c> when
/// present, else <c>Location</c> on 201/202, else the resource's own <c>provisioningState</c>. Waits
/// <c>Retry-After</c> between polls (the configured interval when absent, capped), stops on Succeeded, Failed or
/// Canceled, and caps non-standard settled states (Service Bus <c>Created</c>) with a timeout followed by a GET.
/// The overall deadline is the caller's cancellation token.
/// </summary>
internal sealed class ArmOperationPoller
{
    private const string AsyncOperationHeader = "Azure-AsyncOperation";
    private const string LocationHeader = "Location";

    private readonly ArmRequestSender _sender;
    private readonly ArmResourceClientOptions _options;
    private readonly Uri _endpoint;

    public ArmOperationPoller(ArmRequestSender sender, ArmResourceClientOptions options)
    {
        _sender = sender;
        _options = options;
        _endpoint = options.Cloud.Endpoint;
    }

    private TimeProvider Time => _options.TimeProvider;

    /// <summary>Waits for a PUT to finish and returns the resource as ARM then reports it.</summary>
    public async Task<ArmResource> CompletePutAsync(string resourceId, Uri resourceUri, ArmHttpResponse first, CancellationToken cancellationToken)
    {
        if (first.Header(AsyncOperationHeader) is { } statusUrl)
        {
            // The operation has ended (or settled): whatever state the resource now shows is final, not a reason to wait again.
            await PollStatusAsync(resourceId, statusUrl, first, cancellationToken).ConfigureAwait(false);
            return await PollResourceAsync(resourceId, resourceUri, null, acceptNonStandard: true, cancellationToken).ConfigureAwait(false);
        }

        if (first.Status is 201 or 202 && first.Header(LocationHeader) is { } locationUrl)
        {
            await PollLocationAsync(resourceId, locationUrl, first, forDelete: false, cancellationToken).ConfigureAwait(false);
            return await PollResourceAsync(resourceId, resourceUri, null, acceptNonStandard: true, cancellationToken).ConfigureAwait(false);
        }

        JsonObject? body = ReadObjectOrThrow(resourceId, first);
        if (body is null || first.Status == 202)
        {
            // Nothing to read the state from (202 without headers, 202 {}, an empty 200): ask the resource.
            return await PollResourceAsync(resourceId, resourceUri, first, acceptNonStandard: false, cancellationToken).ConfigureAwait(false);
        }

        return await PollResourceAsync(resourceId, resourceUri, first, acceptNonStandard: false, cancellationToken, initial: first).ConfigureAwait(false);
    }

    /// <summary>Waits for a DELETE to finish: status Succeeded, Location 200/204, or the resource answering 404.</summary>
    public async Task CompleteDeleteAsync(string resourceId, Uri resourceUri, ArmHttpResponse first, CancellationToken cancellationToken)
    {
        if (first.Status is 404 or 204)
        {
            return;
        }

        if (first.Header(AsyncOperationHeader) is { } statusUrl)
        {
            bool settledNonStandard = await PollStatusAsync(resourceId, statusUrl, first, cancellationToken).ConfigureAwait(false);
            if (!settledNonStandard)
            {
                return;
            }
        }
        else if (first.Status is 201 or 202 && first.Header(LocationHeader) is { } locationUrl)
        {
            await PollLocationAsync(resourceId, locationUrl, first, forDelete: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        else if (first.Status == 200 && ArmProvisioningState.Classify(ArmResponseReader.ReadProvisioningState(ArmResponseReader.TryReadObject(first.Content))) == ArmStateKind.Succeeded)
        {
            return;
        }

        await PollUntilGoneAsync(resourceId, resourceUri, first, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls an <c>Azure-AsyncOperation</c> URL. Returns true when it settled in a non-standard state.</summary>
    private async Task<bool> PollStatusAsync(string resourceId, string statusUrl, ArmHttpResponse previous, CancellationToken cancellationToken)
    {
        Uri uri = TrustedPollingUri(resourceId, statusUrl);
        DateTimeOffset? nonStandardSince = null;
        while (true)
        {
            await DelayBeforePollAsync(previous, cancellationToken).ConfigureAwait(false);
            ArmHttpResponse response = await _sender.SendAsync(RequestMethod.Get, uri, null, false, cancellationToken).ConfigureAwait(false);
            JsonObject? body = ReadObjectOrThrow(resourceId, response);
            string? status = ArmResponseReader.ReadOperationStatus(body);
            switch (ArmProvisioningState.Classify(status ?? "InProgress"))
            {
                case ArmStateKind.Succeeded:
                    return false;
                case ArmStateKind.Failed:
                case ArmStateKind.Canceled:
                    throw OperationFailed(resourceId, status!, body, response);
                case ArmStateKind.NonStandard:
                    nonStandardSince ??= Time.GetUtcNow();
                    if (Time.GetUtcNow() - nonStandardSince >= _options.NonStandardStateTimeout)
                    {
                        return true;
                    }

                    break;
                default:
                    nonStandardSince = null;
                    break;
            }

            previous = response;
        }
    }

    /// <summary>Polls a <c>Location</c> URL: 202 while running, 200/201/204 when done (404 counts as done for DELETE).</summary>
    private async Task PollLocationAsync(string resourceId, string locationUrl, ArmHttpResponse previous, bool forDelete, CancellationToken cancellationToken)
    {
        Uri uri = TrustedPollingUri(resourceId, locationUrl);
        while (true)
        {
            await DelayBeforePollAsync(previous, cancellationToken).ConfigureAwait(false);
            ArmHttpResponse response = await _sender.SendAsync(RequestMethod.Get, uri, null, forDelete, cancellationToken).ConfigureAwait(false);
            if (response.Status != 202)
            {
                return;
            }

            previous = response;
        }
    }

    /// <summary>
    /// GETs the resource until its provisioningState is terminal. A non-standard state is accepted at once when
    /// <paramref name="acceptNonStandard"/> (the status URL already waited it out), otherwise after
    /// <see cref="ArmResourceClientOptions.NonStandardStateTimeout"/>; the last GET is the confirmation.
    /// </summary>
    private async Task<ArmResource> PollResourceAsync(
        string resourceId,
        Uri resourceUri,
        ArmHttpResponse? previous,
        bool acceptNonStandard,
        CancellationToken cancellationToken,
        ArmHttpResponse? initial = null)
    {
        DateTimeOffset? waitingSince = null;
        ArmHttpResponse? response = initial;
        while (true)
        {
            if (response is null)
            {
                if (previous is not null)
                {
                    await DelayBeforePollAsync(previous, cancellationToken).ConfigureAwait(false);
                }

                response = await _sender.SendAsync(RequestMethod.Get, resourceUri, null, true, cancellationToken).ConfigureAwait(false);
            }

            DateTimeOffset now = Time.GetUtcNow();
            if (response.Status == 404)
            {
                // A resource created with 202 stays invisible until done (RPC); give it the non-standard allowance, not forever.
                waitingSince ??= now;
                if (now - waitingSince >= _options.NonStandardStateTimeout)
                {
                    throw new ArmRequestException(
                        404, "ResourceNotFound",
                        $"ARM accepted the PUT of {resourceId} but the resource was still not found after {_options.NonStandardStateTimeout}.",
                        ArmErrorKind.Transient, response.CorrelationId);
                }
            }
            else
            {
                JsonObject body = ReadObjectOrThrow(resourceId, response)
                    ?? throw InvalidResponse(resourceId, response, "an empty body");
                string? state = ArmResponseReader.ReadProvisioningState(body);
                switch (ArmProvisioningState.Classify(state))
                {
                    case ArmStateKind.Succeeded:
                        return ToResource(resourceId, body, response);
                    case ArmStateKind.Failed:
                    case ArmStateKind.Canceled:
                        throw OperationFailed(resourceId, state!, body, response);
                    case ArmStateKind.NonStandard:
                        waitingSince ??= now;
                        if (acceptNonStandard || now - waitingSince >= _options.NonStandardStateTimeout)
                        {
                            // Confirm with a fresh GET unless this response already is one made after the wait.
                            if (response == initial)
                            {
                                initial = null;
                                previous = null;
                                response = null;
                                acceptNonStandard = true;
                                continue;
                            }

                            return ToResource(resourceId, body, response);
                        }

                        break;
                    default:
                        waitingSince = null;
                        break;
                }
            }

            previous = response;
            response = null;
            initial = null;
        }
    }

    private async Task PollUntilGoneAsync(string resourceId, Uri resourceUri, ArmHttpResponse previous, CancellationToken cancellationToken)
    {
        while (true)
        {
            await DelayBeforePollAsync(previous, cancellationToken).ConfigureAwait(false);
            ArmHttpResponse response = await _sender.SendAsync(RequestMethod.Get, resourceUri, null, true, cancellationToken).ConfigureAwait(false);
            if (response.Status == 404)
            {
                return;
            }

            JsonObject? body = ArmResponseReader.TryReadObject(response.Content);
            string? state = ArmResponseReader.ReadProvisioningState(body);
            if (ArmProvisioningState.Classify(state) is ArmStateKind.Failed or ArmStateKind.Canceled)
            {
                throw OperationFailed(resourceId, state!, body, response);
            }

            previous = response;
        }
    }

    private Task DelayBeforePollAsync(ArmHttpResponse previous, CancellationToken cancellationToken)
    {
        TimeSpan delay = previous.RetryAfter(Time.GetUtcNow()) ?? _options.PollInterval;
        // Retry-After: 0 would turn polling into a busy loop; never poll faster than the default interval (at most 1 s).
        TimeSpan floor = _options.PollInterval < TimeSpan.FromSeconds(1) ? _options.PollInterval : TimeSpan.FromSeconds(1);
        delay = delay < floor ? floor : delay;
        delay = delay > _options.MaxPollInterval ? _options.MaxPollInterval : delay;
        return Task.Delay(delay, Time, cancellationToken);
    }

    private Uri TrustedPollingUri(string resourceId, string value) =>
        ArmResourcePath.RequireOnEndpoint(_endpoint, value, ArmErrorCodes.UntrustedPollingUrl, host => $"ARM asked to poll {host} for the operation on {resourceId}");

    private static ArmRequestException OperationFailed(string resourceId, string state, JsonObject? body, ArmHttpResponse response)
    {
        (string? code, string? message) = ArmResponseReader.ReadError(body);
        bool canceled = ArmProvisioningState.Classify(state) == ArmStateKind.Canceled;
        code ??= canceled ? ArmErrorCodes.OperationCanceled : ArmErrorCodes.OperationFailed;
        message ??= $"The operation on {resourceId} ended in state {state} and ARM gave no error details.";
        return new ArmRequestException(0, code, message, ArmErrorClassifier.Classify(code, 0), response.CorrelationId);
    }

    private static JsonObject? ReadObjectOrThrow(string resourceId, ArmHttpResponse response)
    {
        try
        {
            return ArmResponseReader.ReadObject(response.Content);
        }
        catch (JsonException ex)
        {
            // The body itself stays out of the message: it may hold secrets.
            throw InvalidResponse(resourceId, response, $"a body that is not a JSON object ({ex.GetType().Name})");
        }
    }

    private static ArmRequestException InvalidResponse(string resourceId, ArmHttpResponse response, string what) =>
        new(response.Status, ArmErrorCodes.InvalidResponse,
            $"ARM answered HTTP {response.Status} for {resourceId} with {what}.",
            ArmErrorKind.Fatal, response.CorrelationId);

    internal static ArmResource ToResource(string resourceId, JsonObject body, ArmHttpResponse response)
    {
        string id = body["id"] is JsonValue value && value.TryGetValue(out string? reported) && !string.IsNullOrEmpty(reported)
            ? reported
            : resourceId;
        return new ArmResource(id, body, response.CorrelationId);
    }
}
