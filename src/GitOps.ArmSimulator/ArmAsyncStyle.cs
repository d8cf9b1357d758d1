namespace GitOps.ArmSimulator;

/// <summary>How the simulator answers a PUT or DELETE for a resource type (docs/arm-protocol.md §1).</summary>
public enum ArmAsyncStyle
{
    /// <summary>201/200 with provisioningState <c>Succeeded</c>; DELETE answers 200 at once.</summary>
    Synchronous,

    /// <summary>201/200 with a non-terminal provisioningState plus <c>Azure-AsyncOperation</c> and <c>Location</c>; the status URL reports <c>InProgress</c> before <c>Succeeded</c>.</summary>
    AzureAsyncOperation,

    /// <summary>The old model: 202 with <c>Location</c> and <c>Retry-After</c>; a created resource stays invisible (404) until the operation ends.</summary>
    Location,

    /// <summary>201/200 with a non-terminal provisioningState and no polling headers; GETs of the resource report it until the polls pass.</summary>
    ProvisioningState,

    /// <summary>Service Bus style: provisioningState <c>Created</c>, which is not an RPC terminal value and never becomes <c>Succeeded</c>.</summary>
    NonStandardCreated,

    /// <summary>Like <see cref="AzureAsyncOperation"/>, but the operation ends <c>Failed</c> with an error code and the resource reports <c>Failed</c>.</summary>
    Failed,
}
