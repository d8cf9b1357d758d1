using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Core.Tests.Planning;

/// <summary>Builds planner inputs in tests.</summary>
internal static class PlanTestData
{
    public const string Sub = "00000000-0000-0000-0000-000000000001";

    public static string StorageId(string name) =>
        $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/{name}";

    public static DeclaredResource Resource(
        string id,
        string body,
        string type = "Microsoft.Storage/storageAccounts",
        string apiVersion = "2023-05-01",
        IReadOnlyList<string>? dependsOn = null,
        ReconcileSettings? reconcile = null) => new()
        {
            Id = id,
            Type = type,
            ApiVersion = apiVersion,
            Name = id[(id.LastIndexOf('/') + 1)..],
            SubscriptionId = Sub,
            ResourceGroup = "rg-app",
            Body = JsonNode.Parse(body)!.AsObject(),
            DependsOn = dependsOn ?? [],
            Reconcile = reconcile ?? ReconcileSettings.Default,
            Location = new SourceLocation("resources/app.yaml", 1, 1),
        };

    public static ReconcileSettings Settings(
        ResourcePolicy policy = ResourcePolicy.Manage,
        DeleteBehavior onDelete = DeleteBehavior.Delete,
        params string[] ignore) => new(policy, ignore, onDelete);

    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    public static InventoryEntry EntryFor(DeclaredResource resource) =>
        new(resource.Id, resource.Type, resource.ApiVersion, DeclarationDigest.Compute(resource), resource.DependsOn);

    public static InventoryEntry Entry(
        string id,
        IReadOnlyList<string>? dependsOn = null,
        DeleteBehavior onDelete = DeleteBehavior.Delete,
        string type = "Microsoft.Storage/storageAccounts",
        string apiVersion = "2022-09-01") =>
        new(id, type, apiVersion, "sha256:0", dependsOn ?? [], onDelete);

    public static PlanResult Plan(
        IReadOnlyList<DeclaredResource> desired,
        IReadOnlyDictionary<string, JsonObject>? live = null,
        IEnumerable<InventoryEntry>? inventory = null,
        PlanOptions? options = null) =>
        Planner.Plan(new PlanInput
        {
            Environment = "test",
            Desired = desired,
            Live = live ?? new Dictionary<string, JsonObject>(),
            Inventory = inventory is null ? ResourceInventory.Empty : new ResourceInventory(inventory),
            Options = options ?? PlanOptions.Default,
        });

    /// <summary>Plans one resource against one live body and returns its change.</summary>
    public static ResourceChange PlanOne(
        DeclaredResource resource,
        string? liveBody,
        IEnumerable<InventoryEntry>? inventory = null,
        PlanOptions? options = null)
    {
        var live = new Dictionary<string, JsonObject>();
        if (liveBody is not null)
        {
            live[resource.Id] = Json(liveBody);
        }

        return Assert.Single(Plan([resource], live, inventory, options).Changes);
    }

    public static string[] Paths(ResourceChange change) => change.Diffs.Select(d => d.Path).ToArray();
}
