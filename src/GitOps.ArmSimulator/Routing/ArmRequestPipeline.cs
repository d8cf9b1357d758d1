using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator.AsyncOperations;
using GitOps.ArmSimulator.ControlApi;
using GitOps.ArmSimulator.Events;
using GitOps.ArmSimulator.Providers;
using GitOps.ArmSimulator.Resources;
using Microsoft.AspNetCore.Http;

namespace GitOps.ArmSimulator.Routing;

/// <summary>
/// Every request passes here in ARM's order: authentication, api-version, throttling, injected faults, then the
/// handler. Each ARM answer gets the correlation headers and is recorded in the request log.
/// </summary>
internal sealed class ArmRequestPipeline
{
    private readonly ArmSimulatorEngine _engine;
    private readonly ControlApiHandler _control;
    private readonly ResourceGroupHandler _groups;
    private readonly GenericResourceHandler _resources;
    private readonly ProviderHandler _providers;
    private readonly OperationHandler _operations;

    public ArmRequestPipeline(ArmSimulatorEngine engine, ControlApiHandler control)
    {
        _engine = engine;
        _control = control;
        _groups = new ResourceGroupHandler(engine);
        _resources = new GenericResourceHandler(engine);
        _providers = new ProviderHandler(engine);
        _operations = new OperationHandler(engine);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var rawPath = context.Request.Path.Value ?? "/";
        var correlation = context.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault();
        context.Response.Headers["x-ms-correlation-request-id"] = string.IsNullOrEmpty(correlation) ? Guid.NewGuid().ToString() : correlation;
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        if (rawPath.StartsWith("/_sim", StringComparison.OrdinalIgnoreCase))
        {
            await _control.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        var arrived = _engine.Time.GetUtcNow();
        var method = context.Request.Method.ToUpperInvariant();
        var kind = method switch
        {
            "GET" or "HEAD" => ArmOperationKind.Read,
            "DELETE" => ArmOperationKind.Delete,
            _ => ArmOperationKind.Write,
        };
        var path = ArmPath.Parse(rawPath);
        var apiVersion = context.Request.Query["api-version"].FirstOrDefault();

        if (_engine.Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_engine.Options.Latency, context.RequestAborted).ConfigureAwait(false);
        }

        ArmResponse response;
        try
        {
            response = await ProcessAsync(context, method, kind, path, apiVersion).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A simulator bug should look like an ARM 500 with a reason, not a dropped connection.
            response = ArmResponse.Error(500, "InternalServerError", $"The simulator failed: {ex.GetType().Name}: {ex.Message}");
        }

        _engine.Log.Add(new ArmRequestRecord(arrived, method, rawPath, apiVersion, response.StatusCode, path.SubscriptionId, kind,
            response.ErrorCode));
        if (ChangeOf(context, method, path, response.StatusCode) is { } change)
        {
            _engine.Events.Publish(change);
        }

        await WriteAsync(context, method, response).ConfigureAwait(false);
    }

    // The event ARM raises for a successful write or delete of a resource or group (GETs and POST actions raise none
    // here; ARM's ResourceActionSuccess is not simulated). An accepted asynchronous operation (202) counts as
    // succeeded at once, where ARM raises the event when the operation ends. A DELETE of nothing (204) raises none.
    private static ArmChange? ChangeOf(HttpContext context, string method, ArmPath path, int status)
    {
        if (method is not ("PUT" or "PATCH" or "DELETE") || status is not (200 or 201 or 202) || path.SubscriptionId is not { } subscription)
        {
            return null;
        }

        var (id, type, group) = path.Kind switch
        {
            ArmPathKind.Resource => (path.Resource!.Id, path.Resource.FullType, path.Resource.ResourceGroup),
            ArmPathKind.ResourceGroup => (ArmPath.ResourceGroupId(subscription, path.ResourceGroupName!), "Microsoft.Resources/resourceGroups", path.ResourceGroupName),
            _ => (null, null, null),
        };
        if (id is null)
        {
            return null;
        }

        var token = context.Request.Headers.Authorization.FirstOrDefault() is { } authorization && authorization.Length > "Bearer ".Length
            ? authorization["Bearer ".Length..].Trim()
            : string.Empty;
        var correlation = context.Response.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();

        // ARM documents httpRequest "only when updating an existing resource or deleting a resource".
        var created = method == "PUT" && status is 201 or 202;
        var request = created ? null : new ArmChangeRequest(
            context.Request.Headers["x-ms-client-request-id"].FirstOrDefault() is { Length: > 0 } clientRequestId ? clientRequestId : Guid.NewGuid().ToString(),
            context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            method,
            $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}");
        return new ArmChange(
            method == "DELETE" ? ArmEventKind.DeleteSuccess : ArmEventKind.WriteSuccess,
            id,
            type!,
            subscription,
            group,
            ArmCallerClaims.FromToken(token),
            correlation,
            request);
    }

    private async Task<ArmResponse> ProcessAsync(HttpContext context, string method, ArmOperationKind kind, ArmPath path, string? apiVersion)
    {
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || authorization.Length <= "Bearer ".Length)
        {
            return ArmErrors.AuthenticationFailed();
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            return ArmErrors.MissingApiVersion();
        }

        var throttle = _engine.Throttler.Take(path.SubscriptionId, kind);
        if (!throttle.Allowed)
        {
            var retry = throttle.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ArmErrors.Throttled(Throttling.Throttler.Plural(kind), path.SubscriptionId, throttle.RetryAfterSeconds)
                .WithHeader("Retry-After", retry)
                .WithHeader(throttle.HeaderName!, "0");
        }

        var response = await DispatchAsync(context, method, path, apiVersion).ConfigureAwait(false);
        return throttle.HeaderName is null
            ? response
            : response.WithHeader(throttle.HeaderName, throttle.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<ArmResponse> DispatchAsync(HttpContext context, string method, ArmPath path, string apiVersion)
    {
        if (_engine.Faults.Match(method, context.Request.Path.Value ?? "/") is { } fault)
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                await Task.Delay(fault.Latency, context.RequestAborted).ConfigureAwait(false);
            }

            var faulted = ArmResponse.Error(fault.StatusCode, fault.ErrorCode, fault.Message);
            return fault.RetryAfter is { } retryAfter
                ? faulted.WithHeader("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture))
                : faulted;
        }

        JsonNode? body = null;
        if (method is "PUT" or "PATCH" or "POST")
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                return ArmErrors.InvalidRequestContent($"line {ex.LineNumber + 1}, position {ex.BytePositionInLine}: {ex.Message}");
            }
        }

        if (path.Resource is { } resource)
        {
            _engine.Providers.Record(resource.Namespace, resource.RelativeType, apiVersion);
        }

        var request = new ArmRequest(method, path, apiVersion, $"{context.Request.Scheme}://{context.Request.Host}", body,
            context.Request.Headers.IfMatch.FirstOrDefault(), context.Request.Headers.IfNoneMatch.FirstOrDefault(),
            context.Request.Path.Value ?? "/",
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.FirstOrDefault() ?? string.Empty, StringComparer.OrdinalIgnoreCase));
        return path.Kind switch
        {
            ArmPathKind.Resource or ArmPathKind.ResourceCollection => _resources.Handle(request),
            ArmPathKind.ResourceGroup or ArmPathKind.ResourceGroupList or ArmPathKind.ResourceGroupResources => _groups.Handle(request),
            ArmPathKind.Provider or ArmPathKind.ProviderList or ArmPathKind.Subscription or ArmPathKind.SubscriptionList => _providers.Handle(request),
            ArmPathKind.OperationStatus or ArmPathKind.OperationResult => _operations.Handle(request),
            _ => ArmErrors.UnknownPath(context.Request.Path.Value ?? "/"),
        };
    }

    private static async Task WriteAsync(HttpContext context, string method, ArmResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is null || method == "HEAD" || response.StatusCode == 204)
        {
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(response.Body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
