namespace GitOps.Core.Events;

/// <summary>
/// Who made a change, as an ARM event names them (the caller's claims and role-assignment evidence). Taken from an
/// event on a queue, which anyone who can write to the queue could forge: for display and records only, never for a
/// decision about what to write.
/// </summary>
/// <param name="Name">The user principal name (or the display name) of a person; null for an application.</param>
/// <param name="AppId">The client application's id (<c>appid</c>, or <c>azp</c> in v2 tokens).</param>
/// <param name="ObjectId">The caller's object id in Entra ID.</param>
/// <param name="PrincipalType">User, ServicePrincipal, … as the role-assignment evidence says; null when absent.</param>
/// <param name="ClientType">The client, when the app id is a well-known one (portal, Azure CLI, Azure PowerShell), or <c>application</c> for a service principal.</param>
public sealed record ChangeActor(string? Name, string? AppId, string? ObjectId, string? PrincipalType, string? ClientType)
{
    /// <summary>No actor is known (drift found by reading Azure, which does not say who).</summary>
    public static ChangeActor Unknown { get; } = new(null, null, null, null, null);

    /// <summary>True when nothing identifies the actor.</summary>
    public bool IsUnknown => Name is null && AppId is null && ObjectId is null;

    /// <summary>One phrase for people: <c>alice@contoso.com (portal)</c>, <c>app 1b2c… (application)</c>, <c>an unknown actor</c>.</summary>
    public string Display
    {
        get
        {
            var who = Name ?? (AppId is not null ? $"app {AppId}" : ObjectId is not null ? $"object {ObjectId}" : "an unknown actor");
            return ClientType is null ? who : $"{who} ({ClientType})";
        }
    }
}
