using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Tests.Apply;

public sealed class LiveStateObserverTests
{
    private static DeclaredResource Resource(string name, ResourcePolicy policy = ResourcePolicy.Manage) => new()
    {
        Id = $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{name}",
        Type = "Microsoft.Storage/storageAccounts",
        ApiVersion = "2023-05-01",
        Name = name,
        Body = [],
        Reconcile = ReconcileSettings.Default with { Policy = policy },
    };

    [Fact]
    public async Task Observe_Gets_Each_Resource_Once_With_Its_Api_Version_And_Skips_Detached()
    {
        var arm = new FakeArmClient();
        var present = Resource("present");
        arm.Seed(present.Id.ToUpperInvariant(), new JsonObject { ["id"] = present.Id });

        var live = await new LiveStateObserver(arm).ObserveAsync([present, Resource("absent"), Resource("gone", ResourcePolicy.Detach)]);

        Assert.Equal(2, arm.Calls.Count);
        Assert.All(arm.Calls, c => Assert.Equal(("GET", "2023-05-01"), (c.Method, c.ApiVersion)));
        Assert.True(live.ContainsKey(present.Id));
        Assert.Single(live);
    }

    [Fact]
    public async Task Observe_Reports_Every_Failed_Get_And_Whether_Retrying_Helps()
    {
        var arm = new FakeArmClient();
        var a = Resource("a");
        var b = Resource("b");
        arm.Failures[a.Id] = new ArmRequestException(429, "TooManyRequests", "Slow down.", ArmErrorKind.Transient);
        arm.Failures[b.Id] = new ArmRequestException(403, "AuthorizationFailed", "No read permission.", ArmErrorKind.Fatal);

        var error = await Assert.ThrowsAsync<ObservationException>(() => new LiveStateObserver(arm).ObserveAsync([a, b]));

        Assert.Equal(2, error.Failures.Count);
        Assert.False(error.IsTransient);
        Assert.Contains("AuthorizationFailed", error.Message);
        Assert.Contains(b.Id, error.Message);
    }
}
