using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Resources;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.AsyncOperations;

/// <summary>Starts, advances and reports long-running operations. Call with the store's lock held.</summary>
internal sealed class AsyncOperationEngine
{
    private readonly ResourceStore _store;
    private readonly ArmSimulatorOptions _options;

    public AsyncOperationEngine(ResourceStore store, ArmSimulatorOptions options)
    {
        _store = store;
        _options = options;
    }

    public AsyncOperation Start(StoredResource resource, string subscriptionId, AsyncOperationAction action, ArmAsyncStyle style)
    {
        var operation = new AsyncOperation(Guid.NewGuid().ToString(), resource.Key, subscriptionId, action, style,
            Math.Max(0, _options.AsyncPollCount), _options.TimeProvider.GetUtcNow());
        _store.AddOperation(operation);
        resource.PendingOperationId = operation.Id;
        return operation;
    }

    /// <summary>Whether the resource has an operation still running (ARM answers 409 AnotherOperationInProgress).</summary>
    public bool IsBusy(StoredResource resource) =>
        resource.PendingOperationId is { } id && _store.FindOperation(id) is { IsRunning: true };

    /// <summary>A GET of the resource counts as a poll of its running operation.</summary>
    public void Observe(StoredResource resource)
    {
        if (resource.PendingOperationId is { } id && _store.FindOperation(id) is { } operation)
        {
            Advance(operation);
        }
    }

    public void Advance(AsyncOperation operation)
    {
        if (!operation.IsRunning)
        {
            return;
        }

        if (operation.PollsRemaining > 0)
        {
            operation.PollsRemaining--;
            return;
        }

        Complete(operation);
    }

    private void Complete(AsyncOperation operation)
    {
        operation.EndTime = _options.TimeProvider.GetUtcNow();
        var failed = operation.Style == ArmAsyncStyle.Failed;
        operation.Status = failed ? "Failed" : "Succeeded";
        var resource = _store.Find(operation.ResourceKey);
        if (failed)
        {
            operation.Error = new JsonObject
            {
                ["code"] = _options.FailedOperationErrorCode,
                ["message"] = $"The operation on '{resource?.Id ?? operation.ResourceKey}' failed (simulated by the Failed async style).",
            };
        }

        if (resource is null || resource.PendingOperationId != operation.Id)
        {
            return;
        }

        resource.PendingOperationId = null;
        if (operation.Action == AsyncOperationAction.Delete && !failed)
        {
            _store.Remove(resource.Id);
            return;
        }

        resource.ProvisioningState = failed ? "Failed" : "Succeeded";
        resource.Visible = true;
        if (operation.Action == AsyncOperationAction.Put)
        {
            operation.Result = ResourceRenderer.Render(resource, _store);
        }
    }

    /// <summary>Adds the polling headers of the style to a first answer (docs/arm-protocol.md §1).</summary>
    public ArmResponse WithPollingHeaders(ArmResponse response, AsyncOperation operation, string baseUri, string apiVersion)
    {
        var useAzureAsync = operation.Style is ArmAsyncStyle.AzureAsyncOperation or ArmAsyncStyle.Failed;
        if (useAzureAsync)
        {
            response.WithHeader("Azure-AsyncOperation", StatusUrl(operation, baseUri, apiVersion));
        }

        if (useAzureAsync || operation.Style == ArmAsyncStyle.Location || operation.Action == AsyncOperationAction.Delete)
        {
            response.WithHeader("Location", ResultUrl(operation, baseUri, apiVersion));
        }

        return response.WithHeader("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>GET of the Azure-AsyncOperation URL: always 200 with the status body (docs/arm-protocol.md §1).</summary>
    public ArmResponse Status(AsyncOperation operation, string baseUri, string apiVersion)
    {
        Advance(operation);
        var body = new JsonObject
        {
            ["id"] = new Uri(StatusUrl(operation, baseUri, apiVersion)).AbsolutePath,
            ["name"] = operation.Id,
            ["status"] = operation.Status,
            ["startTime"] = operation.StartTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (operation.EndTime is { } end)
        {
            body["endTime"] = end.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (operation.Error is not null)
        {
            body["error"] = operation.Error.DeepClone();
        }

        var response = new ArmResponse(200, body);
        return operation.IsRunning ? response.WithHeader("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)) : response;
    }

    /// <summary>GET of the Location URL: 202 while running, then what the synchronous call would have answered.</summary>
    public ArmResponse Result(AsyncOperation operation, string baseUri, string apiVersion)
    {
        Advance(operation);
        if (operation.IsRunning)
        {
            return new ArmResponse(202)
                .WithHeader("Location", ResultUrl(operation, baseUri, apiVersion))
                .WithHeader("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (operation.Error is not null)
        {
            return ArmResponse.Error(500, operation.Error["code"]!.GetValue<string>(), operation.Error["message"]!.GetValue<string>());
        }

        return operation.Action == AsyncOperationAction.Put && operation.Result is not null
            ? new ArmResponse(200, operation.Result.DeepClone())
            : new ArmResponse(204);
    }

    private int RetryAfterSeconds => (int)Math.Ceiling(Math.Max(0, _options.RetryAfter.TotalSeconds));

    private static string StatusUrl(AsyncOperation operation, string baseUri, string apiVersion) =>
        $"{baseUri}/subscriptions/{operation.SubscriptionId}/{ArmPath.OperationStatusesSegment}/{operation.Id}?api-version={Uri.EscapeDataString(apiVersion)}";

    private static string ResultUrl(AsyncOperation operation, string baseUri, string apiVersion) =>
        $"{baseUri}/subscriptions/{operation.SubscriptionId}/{ArmPath.OperationResultsSegment}/{operation.Id}?api-version={Uri.EscapeDataString(apiVersion)}";
}
