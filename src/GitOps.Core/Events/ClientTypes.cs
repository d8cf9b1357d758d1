namespace GitOps.Core.Events;

/// <summary>The first-party clients whose app ids are well known, so that "changed in the portal" can be said.</summary>
public static class ClientTypes
{
    /// <summary>The Azure portal.</summary>
    public const string PortalAppId = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";

    /// <summary>The Azure CLI.</summary>
    public const string AzureCliAppId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

    /// <summary>Azure PowerShell.</summary>
    public const string AzurePowerShellAppId = "1950a258-227b-4e31-a9cf-717495945fc2";

    /// <summary>The client's name for a caller: a well-known app, else <c>application</c> for an app caller, else null.</summary>
    /// <param name="appId">The caller's app id.</param>
    /// <param name="isApplication">True when the caller is an application (service principal, managed identity), not a person.</param>
    public static string? Of(string? appId, bool isApplication) => appId?.ToLowerInvariant() switch
    {
        PortalAppId => "portal",
        AzureCliAppId => "Azure CLI",
        AzurePowerShellAppId => "Azure PowerShell",
        _ => isApplication ? "application" : null,
    };
}
