using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace GitOps.Core.Planning;

/// <summary>
/// The write-only secret properties of ARM bodies. GET never returns them (TypeSpec <c>@secret</c>,
/// <c>x-ms-secret</c>), so the planner never diffs them against Azure, and wherever one would appear in a
/// <see cref="FieldDiff"/> its value is replaced by <see cref="RedactedMarker"/>.
/// </summary>
/// <remarks>
/// <para>The resource type catalogue's write-only and secure flags add to these names (<see cref="SchemaFlags"/>); they
/// never remove one. The names stay where the catalogue is silent, checked against Azure.Bicep.Types.Az 0.2.972:
/// <c>Microsoft.KeyVault/vaults/secrets</c> <c>properties.value</c> is a plain string; a VM extension's
/// <c>protectedSettings</c> is <c>any</c>; <c>osProfile.customData</c> and a connection's <c>sharedKey</c> carry no
/// flag; and types the catalogue lacks, or with <c>reconcile.schema: off</c>, have no flags at all. A secret shown in a
/// plan is worse than a field not diffed, so the lists are a floor.</para>
/// Names are matched case-insensitively at any depth. A few names are secret only for some resource types
/// (<c>value</c> of a Key Vault secret, <c>data</c> of a certificate), because elsewhere they are ordinary fields.
/// </remarks>
public static class SecretProperties
{
    /// <summary>What a redacted value shows in a plan.</summary>
    public const string RedactedMarker = "(redacted)";

    private static readonly FrozenSet<string> Everywhere = new[]
    {
        "password", "adminPassword", "administratorLoginPassword", "administratorPassword", "passwordValue",
        "secret", "clientSecret", "sharedKey", "authenticationKey",
        "connectionString", "primaryConnectionString", "secondaryConnectionString",
        "primaryKey", "secondaryKey", "primaryMasterKey", "secondaryMasterKey", "accessKey", "accountKey",
        "storageAccountKey", "storageAccountAccessKey", "sasToken", "sasUrl", "sasUri",
        "certificatePassword", "pfxBlob", "pfxPassword", "keyVaultSecretValue",

        // Write-only blobs that routinely carry credentials (VM/extension settings).
        "protectedSettings", "customData",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, FrozenSet<string>> ByType = new Dictionary<string, FrozenSet<string>>(StringComparer.OrdinalIgnoreCase)
    {
        // "will never be returned from the service" (Key Vault SecretProperties.value).
        ["Microsoft.KeyVault/vaults/secrets"] = Set("value"),
        ["Microsoft.Web/certificates"] = Set("password", "pfxBlob"),
        ["Microsoft.Network/applicationGateways"] = Set("data", "password"),
        ["Microsoft.Network/applicationGateways/sslCertificates"] = Set("data", "password"),
        ["Microsoft.ApiManagement/service"] = Set("encodedCertificate", "certificatePassword"),
        ["Microsoft.ApiManagement/service/certificates"] = Set("data", "password"),
        ["Microsoft.Automation/automationAccounts/credentials"] = Set("password"),
        ["Microsoft.Automation/automationAccounts/certificates"] = Set("base64Value", "password"),
        ["Microsoft.Batch/batchAccounts/certificates"] = Set("data", "password"),
        ["Microsoft.App/managedEnvironments/certificates"] = Set("value", "password"),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the property <paramref name="name"/> of a body of <paramref name="resourceType"/> holds a secret.</summary>
    public static bool IsSecret(string resourceType, string name) =>
        Everywhere.Contains(name)
        || (ByType.TryGetValue(resourceType, out var names) && names.Contains(name));

    /// <summary>
    /// Returns <paramref name="node"/> with every secret property value replaced by the marker (a copy, only when
    /// something had to be replaced); <paramref name="redacted"/> says whether anything was.
    /// </summary>
    public static JsonNode? Redact(JsonNode? node, string resourceType, out bool redacted)
    {
        redacted = false;
        if (node is null || !ContainsSecret(node, resourceType))
        {
            return node;
        }

        redacted = true;
        var copy = node.DeepClone();
        Replace(copy, resourceType);
        return copy;
    }

    /// <summary>A fresh marker node.</summary>
    internal static JsonNode Marker() => JsonValue.Create(RedactedMarker);

    private static bool ContainsSecret(JsonNode node, string resourceType)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if ((value is not null && IsSecret(resourceType, key)) || (value is not null && ContainsSecret(value, resourceType)))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null && ContainsSecret(item, resourceType))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static void Replace(JsonNode node, string resourceType)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    if (value is null)
                    {
                        continue;
                    }

                    if (IsSecret(resourceType, key))
                    {
                        obj[key] = Marker();
                    }
                    else
                    {
                        Replace(value, resourceType);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Replace(item, resourceType);
                    }
                }

                break;
        }
    }

    private static FrozenSet<string> Set(params string[] names) => names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
