using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.Providers;

/// <summary><c>/subscriptions</c>, <c>/subscriptions/{s}</c>, <c>/subscriptions/{s}/providers[/{namespace}]</c>: read-only listings.</summary>
internal sealed class ProviderHandler
{
    private readonly ArmSimulatorEngine _engine;

    public ProviderHandler(ArmSimulatorEngine engine) => _engine = engine;

    public ArmResponse Handle(ArmRequest request)
    {
        if (request.Method != "GET")
        {
            return ArmErrors.MethodNotAllowed(request.Method, string.Join('/', request.Path.Segments));
        }

        var path = request.Path;
        switch (path.Kind)
        {
            case ArmPathKind.Provider:
                return _engine.Providers.Describe(path.SubscriptionId!, path.LastSegment!) is { } provider
                    ? new ArmResponse(200, provider)
                    : ArmResponse.Error(404, "InvalidResourceNamespace", $"The resource namespace '{path.LastSegment}' is invalid.");
            case ArmPathKind.ProviderList:
                var providers = new JsonArray(_engine.Providers.Namespaces()
                    .Select(ns => (JsonNode?)_engine.Providers.Describe(path.SubscriptionId!, ns)).ToArray());
                return new ArmResponse(200, new JsonObject { ["value"] = providers });
            case ArmPathKind.Subscription:
                return new ArmResponse(200, Subscription(path.SubscriptionId!));
            default:
                var seen = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
                lock (_engine.Store.Gate)
                {
                    foreach (var resource in _engine.Store.All)
                    {
                        if (ArmPath.Parse(resource.Id).SubscriptionId is { } subscription)
                        {
                            seen.Add(subscription);
                        }
                    }
                }

                return new ArmResponse(200, new JsonObject
                {
                    ["value"] = new JsonArray(seen.Select(s => (JsonNode?)Subscription(s)).ToArray()),
                });
        }
    }

    // Every subscription exists in the simulator; there is no tenant to check them against.
    private static JsonObject Subscription(string id) => new()
    {
        ["id"] = $"/subscriptions/{id}",
        ["subscriptionId"] = id,
        ["displayName"] = $"Simulated subscription {id}",
        ["state"] = "Enabled",
        ["tenantId"] = "00000000-0000-0000-0000-000000000000",
    };
}
