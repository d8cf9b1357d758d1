using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// The ARM adapter for <see cref="IArmResourceClient"/>: GET, PUT and DELETE by resource id with the declared
/// api-version on the wire, over an Azure.Core <see cref="HttpPipeline"/> (bearer token, diagnostics, transport from the
/// options). Azure.ResourceManager's <c>GenericResource</c> is not used because it replaces the declared api-version
/// with the provider's newest one (docs/arm-protocol.md §4). Asynchronous operations are followed to a terminal state,
/// throttling is paced by a per-subscription <see cref="ThrottleBudget"/>, and transient failures are retried with the
/// <see cref="ArmErrorClassifier"/> deciding what is transient.
/// </summary>
public class ArmResourceClient : IArmResourceClient
{
    private readonly ArmResourceClientOptions _options = null!;
    private readonly ArmRequestSender _sender = null!;
    private readonly ArmOperationPoller _poller = null!;
    private readonly ArmRequestCounters _counters = new();
    private readonly ThrottleBudget? _budget;

    /// <summary>For mocking.</summary>
    protected ArmResourceClient()
    {
    }

    /// <summary>Creates the client.</summary>
    /// <param name="credential">Where tokens come from; see <see cref="ArmCredentialFactory"/>.</param>
    /// <param name="options">Cloud, TLS trust, polling, timeouts, throttle budget and retries; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range or the CA certificate is not valid PEM.</exception>
    public ArmResourceClient(TokenCredential credential, ArmResourceClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _options = options ?? new ArmResourceClientOptions();
        _options.Validate();

        var pipelineOptions = new HttpPipelineOptions(_options);
        pipelineOptions.PerRetryPolicies.Add(new BearerTokenAuthenticationPolicy(credential, _options.Cloud.Scope));
        HttpPipeline pipeline = _options.CaCertificatePem is { } pem
            ? HttpPipelineBuilder.Build(pipelineOptions, CustomRootTrust.TransportOptionsFromPem(pem))
            : HttpPipelineBuilder.Build(pipelineOptions);

        _budget = _options.ThrottleBudget.Enabled ? new ThrottleBudget(_options.ThrottleBudget, _options.TimeProvider) : null;
        _sender = new ArmRequestSender(pipeline, _options, _budget, _counters);
        _poller = new ArmOperationPoller(_sender, _options);
    }

    /// <summary>The ARM endpoint requests go to.</summary>
    public virtual Uri Endpoint => _options.Cloud.Endpoint;

    /// <summary>Requests sent, 429s and retries so far.</summary>
    public virtual ArmRequestCounters Counters => _counters;

    /// <summary>The throttle budget; null when <see cref="ThrottleBudgetOptions.Enabled"/> is false.</summary>
    public virtual ThrottleBudget? ThrottleBudget => _budget;

    /// <inheritdoc />
    /// <exception cref="ArmRequestException">ARM answered with an error other than 404, or the retries ran out.</exception>
    public virtual Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default)
    {
        Uri uri = ArmResourcePath.BuildUri(Endpoint, resourceId, apiVersion);
        return WithTimeoutAsync(resourceId, "GET", async token =>
        {
            ArmHttpResponse response = await _sender.SendAsync(RequestMethod.Get, uri, null, allowNotFound: true, token).ConfigureAwait(false);
            if (response.Status == 404)
            {
                return null;
            }

            JsonObject body = ReadBody(resourceId, response);
            return (ArmResource?)ArmOperationPoller.ToResource(resourceId, body, response);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArmRequestException">The PUT or its operation failed, or did not finish within the timeout.</exception>
    public virtual Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        Uri uri = ArmResourcePath.BuildUri(Endpoint, resourceId, apiVersion);
        BinaryData content = BinaryData.FromString(body.ToJsonString());
        return WithTimeoutAsync(resourceId, "PUT", async token =>
        {
            ArmHttpResponse first = await _sender.SendAsync(RequestMethod.Put, uri, content, allowNotFound: false, token).ConfigureAwait(false);
            return await _poller.CompletePutAsync(resourceId, uri, first, token).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArmRequestException">The DELETE or its operation failed, or did not finish within the timeout.</exception>
    public virtual Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default)
    {
        Uri uri = ArmResourcePath.BuildUri(Endpoint, resourceId, apiVersion);
        return WithTimeoutAsync(resourceId, "DELETE", async token =>
        {
            ArmHttpResponse first = await _sender.SendAsync(RequestMethod.Delete, uri, null, allowNotFound: true, token).ConfigureAwait(false);
            await _poller.CompleteDeleteAsync(resourceId, uri, first, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArmRequestException">
    /// ARM refused the list (a 404 other than a missing resource group or parent, a type that cannot be listed), the
    /// retries ran out, or <paramref name="nextLink"/> is not on the ARM endpoint (<see cref="ArmErrorCodes.UntrustedNextLink"/>).
    /// </exception>
    public virtual Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default)
    {
        Uri uri = nextLink is null
            ? ArmResourcePath.BuildUri(Endpoint, collectionId, apiVersion)
            : ArmResourcePath.RequireOnEndpoint(Endpoint, nextLink, ArmErrorCodes.UntrustedNextLink, host => $"The list of {collectionId} pointed its next page at {host}");
        return WithTimeoutAsync(collectionId, "GET", async token =>
        {
            ArmHttpResponse response = await _sender.SendAsync(RequestMethod.Get, uri, null, allowNotFound: true, token).ConfigureAwait(false);
            if (response.Status == 404)
            {
                ArmRequestException missing = ArmRequestSender.ToException(response, retryAfter: null);
                // Only a missing parent says the collection is empty; any other 404 (an unknown type, a path that is
                // not a collection) says nothing about its members.
                return missing.Code is "ResourceGroupNotFound" or "ParentResourceNotFound"
                    ? new ArmListPage([], null, ParentMissing: true)
                    : throw missing;
            }

            return ArmResponseReader.ReadListPage(response.Content)
                ?? throw new ArmRequestException(
                    response.Status, ArmErrorCodes.InvalidResponse,
                    $"ARM answered the list of {collectionId} with a body that is not a list (no 'value' array of resources with ids).",
                    ArmErrorKind.Fatal, response.CorrelationId);
        }, cancellationToken);
    }

    private async Task<T> WithTimeoutAsync<T>(string resourceId, string method, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.OperationTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ArmRequestException(
                0, ArmErrorCodes.OperationTimeout,
                $"{method} {resourceId} did not finish within {_options.OperationTimeout}; ARM may still complete it, the next run will see.",
                ArmErrorKind.Transient, innerException: ex);
        }
    }

    private static JsonObject ReadBody(string resourceId, ArmHttpResponse response)
    {
        try
        {
            return ArmResponseReader.ReadObject(response.Content) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            // Neither the body nor the parser's message (which quotes it) goes into the exception: it may hold secrets.
            throw new ArmRequestException(
                response.Status, ArmErrorCodes.InvalidResponse,
                $"ARM answered HTTP {response.Status} for {resourceId} with a body that is not a JSON object.",
                ArmErrorKind.Fatal, response.CorrelationId);
        }
    }
}
