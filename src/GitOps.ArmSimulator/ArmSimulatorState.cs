using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Events;
using GitOps.ArmSimulator.Normalization;
using GitOps.ArmSimulator.Resources;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator;

/// <summary>
/// In-process control of a running simulator: seed resources, change or delete them behind the client's back (drift),
/// read the request log, add faults, pick async styles, reset. The same operations are served over HTTP under
/// <c>/_sim/...</c>. Safe to call while requests are being served.
/// </summary>
public sealed class ArmSimulatorState
{
    private readonly ArmSimulatorEngine _engine;

    internal ArmSimulatorState(ArmSimulatorEngine engine) => _engine = engine;

    /// <summary>The ARM requests received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<ArmRequestRecord> Requests => _engine.Log.Snapshot();

    /// <summary>Empties the request log.</summary>
    public void ClearRequests() => _engine.Log.Clear();

    /// <summary>Stores an ARM GET body (it must have an <c>id</c>) as a live resource, replacing one with the same id; returns the id.</summary>
    /// <exception cref="InvalidDataException">The body has no <c>id</c>, or the id is not a resource or resource group id.</exception>
    public string Seed(JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return _engine.Seeds.Seed(resource);
    }

    /// <summary>Seeds every <c>*.json</c> GET body in <paramref name="directory"/> (recursively); returns how many were loaded.</summary>
    /// <exception cref="InvalidDataException">A file is not valid JSON or a body lacks a usable <c>id</c>; the message names the file.</exception>
    public int SeedDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return _engine.Seeds.LoadDirectory(directory);
    }

    /// <summary>
    /// Changes a live resource as someone outside the reconciler would: applies <paramref name="mergePatch"/> (RFC 7396:
    /// <c>null</c> removes a property) to the body GET returns, and updates etag and systemData. Raises the
    /// <c>ResourceWriteSuccess</c> event a portal change would, attributed to <paramref name="by"/>. Returns
    /// <see langword="false"/> when the resource does not exist.
    /// </summary>
    /// <param name="resourceId">The resource.</param>
    /// <param name="mergePatch">The change.</param>
    /// <param name="by">The user principal name the change and its event name; <see cref="ArmSimulatorOptions.OutOfBandUser"/> when null.</param>
    public bool SetOutOfBand(string resourceId, JsonObject mergePatch, string? by = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        ArgumentNullException.ThrowIfNull(mergePatch);
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(resourceId) is not { } resource)
            {
                return false;
            }

            var patch = (JsonObject)mergePatch.DeepClone();
            if (patch["properties"] is JsonObject properties && JsonEdit.String(properties, "provisioningState") is { } state)
            {
                resource.ProvisioningState = state;
                properties.Remove("provisioningState");
            }

            var body = (JsonObject)JsonMergePatch.Apply(resource.Body, patch)!;
            if (body.ContainsKey("etag"))
            {
                body["etag"] = JsonEdit.NewETag();
            }

            if (body["systemData"] is JsonObject systemData)
            {
                body["systemData"] = ResourceNormalizer.SystemData(systemData, _engine.Time.GetUtcNow(), by ?? _engine.Options.OutOfBandUser);
            }

            resource.Body = body;
            PublishOutOfBand(ArmEventKind.WriteSuccess, resource.Id, resource.Type, "PATCH", by);
            return true;
        }
    }

    /// <summary>
    /// Deletes a resource (with its children) without a request, as an outside actor would, and raises the
    /// <c>ResourceDeleteSuccess</c> event attributed to <paramref name="by"/>. Returns <see langword="false"/> when it did not exist.
    /// </summary>
    /// <param name="resourceId">The resource.</param>
    /// <param name="by">The user principal name the event names; <see cref="ArmSimulatorOptions.OutOfBandUser"/> when null.</param>
    public bool DeleteOutOfBand(string resourceId, string? by = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(resourceId) is not { } resource)
            {
                return false;
            }

            var (id, type) = (resource.Id, resource.Type);
            _engine.Store.Remove(resourceId);
            PublishOutOfBand(ArmEventKind.DeleteSuccess, id, type, "DELETE", by);
            return true;
        }
    }

    /// <summary>
    /// Sends the events of <paramref name="subscriptionId"/> to <paramref name="destination"/> from now on (null: back
    /// to <see cref="ArmSimulatorOptions.Events"/>). Tests that share one simulator route their own subscription.
    /// </summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="destination">The queue, or null.</param>
    public void SetEventDestination(string subscriptionId, ArmEventDestination? destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        _engine.Events.Route(subscriptionId, destination);
    }

    /// <summary>The events raised so far (the newest 10,000), oldest first, with what became of their delivery.</summary>
    public IReadOnlyList<ArmPublishedEvent> PublishedEvents => _engine.Events.Published;

    /// <summary>Waits until every event raised so far has reached its queue (or failed).</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">Deliveries were still under way.</exception>
    public Task FlushEventsAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => _engine.Events.FlushAsync(timeout, cancellationToken);

    /// <summary>Waits until every event of one subscription raised so far has reached its queue (or failed).</summary>
    /// <param name="subscriptionId">The subscription (a test's own, on a simulator shared with other tests).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">Deliveries were still under way.</exception>
    public Task FlushEventsAsync(string subscriptionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _engine.Events.FlushAsync(timeout, cancellationToken, subscriptionId);

    private void PublishOutOfBand(ArmEventKind kind, string id, string type, string method, string? by)
    {
        var segments = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || !string.Equals(segments[0], "subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var group = segments.Length > 3 && string.Equals(segments[2], "resourceGroups", StringComparison.OrdinalIgnoreCase) ? segments[3] : null;
        _engine.Events.Publish(new ArmChange(
            kind,
            id,
            type,
            segments[1],
            group,
            ArmCallerClaims.PortalUser(by ?? _engine.Options.OutOfBandUser),
            Guid.NewGuid().ToString(),
            new ArmChangeRequest(Guid.NewGuid().ToString(), "203.0.113.7", method, "https://management.azure.com" + id)));
    }

    /// <summary>The body a GET of <paramref name="resourceId"/> would return now, or <see langword="null"/>. Does not count as a poll.</summary>
    public JsonObject? GetResource(string resourceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        lock (_engine.Store.Gate)
        {
            return _engine.Store.FindVisible(resourceId) is { } resource ? ResourceRenderer.Render(resource, _engine.Store) : null;
        }
    }

    /// <summary>The ids of all resources and resource groups the simulator holds, sorted.</summary>
    public IReadOnlyList<string> ResourceIds
    {
        get
        {
            lock (_engine.Store.Gate)
            {
                return _engine.Store.All.Where(r => r.Visible).Select(r => r.Id).Order(StringComparer.OrdinalIgnoreCase).ToList();
            }
        }
    }

    /// <summary>Adds a fault rule after the existing ones.</summary>
    /// <exception cref="ArgumentException">The status is not 400-599 or the probability is outside 0-1.</exception>
    public void AddFault(ArmFaultRule rule) => _engine.Faults.Add(rule);

    /// <summary>Removes every fault rule (the global fault rate stays).</summary>
    public void ClearFaults() => _engine.Faults.Clear();

    /// <summary>Sets how PUT and DELETE of <paramref name="resourceType"/> (e.g. <c>Microsoft.Storage/storageAccounts</c>) answer from now on.</summary>
    public void SetAsyncStyle(string resourceType, ArmAsyncStyle style)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        if (!Enum.IsDefined(style))
        {
            throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown async style.");
        }

        _engine.SetAsyncStyle(resourceType, style);
    }

    /// <summary>Back to the state right after start: no resources but the seeds, the options' faults and async styles, an empty log and full buckets.</summary>
    public void Reset() => _engine.Reset();
}
