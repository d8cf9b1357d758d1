namespace GitOps.ArmSimulator.Events;

/// <summary>A successful write or delete, as the event builder needs it.</summary>
/// <param name="Kind">Write or delete.</param>
/// <param name="ResourceId">The resource id as ARM spells it.</param>
/// <param name="ResourceType">The full type, e.g. <c>Microsoft.Storage/storageAccounts</c> (<c>Microsoft.Resources/resourceGroups</c> for a group).</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="ResourceGroup">The resource group, when the resource is in one.</param>
/// <param name="Claims">The caller's claims.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="HttpRequest">The request, for updates and deletes (ARM leaves it out on creates).</param>
internal sealed record ArmChange(
    ArmEventKind Kind,
    string ResourceId,
    string ResourceType,
    string SubscriptionId,
    string? ResourceGroup,
    IReadOnlyDictionary<string, string> Claims,
    string CorrelationId,
    ArmChangeRequest? HttpRequest);

/// <summary>The <c>data.httpRequest</c> of an event.</summary>
/// <param name="ClientRequestId">The caller's <c>x-ms-client-request-id</c>, or a new id.</param>
/// <param name="ClientIpAddress">The caller's address.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The request URL with its query.</param>
internal sealed record ArmChangeRequest(string ClientRequestId, string ClientIpAddress, string Method, string Url);
