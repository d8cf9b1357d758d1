using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Resources;

/// <summary>A resource (or resource group) as the simulator holds it. Only touched under the store's lock.</summary>
internal sealed class StoredResource
{
    public StoredResource(string key, string id, string type, JsonObject body)
    {
        Key = key;
        Id = id;
        Type = type;
        Body = body;
    }

    /// <summary>The lower-case id used for lookups: ARM ids are case-insensitive.</summary>
    public string Key { get; }

    /// <summary>The id as first created (the RPC says the caller's casing is kept).</summary>
    public string Id { get; }

    public string Type { get; }

    /// <summary>The live body, read-only fields included; <c>properties.provisioningState</c> is rendered from <see cref="ProvisioningState"/>.</summary>
    public JsonObject Body { get; set; }

    public string ProvisioningState { get; set; } = "Succeeded";

    /// <summary>False while a 202-created resource is still being created: GET answers 404 and lists skip it.</summary>
    public bool Visible { get; set; } = true;

    public bool IsResourceGroup { get; init; }

    /// <summary>The running operation on this resource, if any.</summary>
    public string? PendingOperationId { get; set; }

    public string? ETag => Body["etag"]?.GetValue<string>();
}
