using System.Text.Json.Nodes;
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
    /// <c>null</c> removes a property) to the body GET returns, and updates etag and systemData. Returns
    /// <see langword="false"/> when the resource does not exist.
    /// </summary>
    public bool SetOutOfBand(string resourceId, JsonObject mergePatch)
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
                body["systemData"] = ResourceNormalizer.SystemData(systemData, _engine.Time.GetUtcNow(), "someone-else@example.com");
            }

            resource.Body = body;
            return true;
        }
    }

    /// <summary>Deletes a resource (with its children) without a request, as an outside actor would. Returns <see langword="false"/> when it did not exist.</summary>
    public bool DeleteOutOfBand(string resourceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        lock (_engine.Store.Gate)
        {
            return _engine.Store.Remove(resourceId);
        }
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
