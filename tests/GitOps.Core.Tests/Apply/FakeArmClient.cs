using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Core.Ports;

namespace GitOps.Core.Tests.Apply;

/// <summary>A hand-written in-memory ARM for engine tests: records calls, can fail chosen ids, tracks concurrency.</summary>
internal sealed class FakeArmClient : IArmResourceClient
{
    private readonly ConcurrentDictionary<string, JsonObject> _resources = new(StringComparer.OrdinalIgnoreCase);
    private int _inFlight;

    public ConcurrentQueue<(string Method, string Id, string ApiVersion)> Calls { get; } = new();

    /// <summary>The <see cref="ArmCallContext.Current"/> caller of every call, as the throttle budget would see it.</summary>
    public ConcurrentQueue<(string Method, ArmCaller? Caller)> Callers { get; } = new();

    /// <summary>Every PUT body as sent, serialized at the moment of the call.</summary>
    public ConcurrentQueue<(string Id, string Body)> PutBodies { get; } = new();

    public ConcurrentDictionary<string, ArmRequestException> Failures { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Failures for PUT and DELETE only (GETs succeed).</summary>
    public ConcurrentDictionary<string, ArmRequestException> WriteFailures { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan Delay { get; set; }

    /// <summary>Awaited inside every PUT before it takes effect (a test holds a write there).</summary>
    public Func<string, Task>? BeforeWrite { get; set; }

    public int MaxInFlight { get; private set; }

    /// <summary>Called with the stored body on every GET and after every PUT, so a test can play the provider (provisioningState, properties).</summary>
    public Action<string, JsonObject>? Provider { get; set; }

    public void Seed(string id, JsonObject body)
    {
        _resources[id] = body;
        _listed[id] = 0;
    }

    /// <summary>
    /// When set, collections can be listed; off, <see cref="ListAsync"/> is not supported (the engine GETs instead).
    /// Lists show seeded resources only, not those PUT since: the extreme of a list that lags a create in progress.
    /// </summary>
    public bool Lists { get; set; }

    private readonly ConcurrentDictionary<string, byte> _listed = new(StringComparer.OrdinalIgnoreCase);

    public bool Exists(string id) => _resources.ContainsKey(id);

    public async Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(("GET", resourceId, apiVersion));
        Callers.Enqueue(("GET", ArmCallContext.Current));
        await Task.Yield();
        Fail(resourceId);
        if (_resources.TryGetValue(resourceId, out var stored))
        {
            Provider?.Invoke(resourceId, stored);
        }

        return _resources.TryGetValue(resourceId, out var body) ? new ArmResource(resourceId, body.DeepClone().AsObject()) : null;
    }

    public async Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default)
    {
        if (!Lists)
        {
            throw new NotSupportedException("This fake lists nothing unless Lists is set.");
        }

        Calls.Enqueue(("LIST", collectionId, apiVersion));
        await Task.Yield();
        Fail(collectionId);
        // A resource group's collections need the group (ARM answers ResourceGroupNotFound), as it is now.
        var groups = collectionId.IndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        if (groups > 0 && collectionId[..groups].Contains("/resourceGroups/", StringComparison.OrdinalIgnoreCase) && !_resources.ContainsKey(collectionId[..groups]))
        {
            return new ArmListPage([], null, ParentMissing: true);
        }

        var members = _listed.Keys.Where(id => id.Length > collectionId.Length + 1
            && id.StartsWith(collectionId + "/", StringComparison.OrdinalIgnoreCase)
            && id.IndexOf('/', collectionId.Length + 1) < 0).ToList();
        return new ArmListPage(members, null);
    }

    public async Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(("PUT", resourceId, apiVersion));
        Callers.Enqueue(("PUT", ArmCallContext.Current));
        PutBodies.Enqueue((resourceId, body.ToJsonString()));
        if (BeforeWrite is { } hold)
        {
            await hold(resourceId);
        }

        await TrackAsync(cancellationToken);
        Fail(resourceId);
        FailWrite(resourceId);
        _resources[resourceId] = body;
        Provider?.Invoke(resourceId, body);
        return new ArmResource(resourceId, body.DeepClone().AsObject(), "corr-" + resourceId.Length);
    }

    public async Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(("DELETE", resourceId, apiVersion));
        Callers.Enqueue(("DELETE", ArmCallContext.Current));
        await TrackAsync(cancellationToken);
        Fail(resourceId);
        FailWrite(resourceId);
        _resources.TryRemove(resourceId, out _);
    }

    private async Task TrackAsync(CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (Calls)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }

        try
        {
            await Task.Delay(Delay, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void FailWrite(string id)
    {
        if (WriteFailures.TryGetValue(id, out var error))
        {
            throw error;
        }
    }

    private void Fail(string id)
    {
        if (Failures.TryGetValue(id, out var error))
        {
            throw error;
        }
    }
}
