using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Events;

/// <summary>
/// Builds the JSON of one event in either schema, with the fields of the documented ARM events (event-schema-subscriptions:
/// <c>authorization</c>, <c>claims</c>, <c>correlationId</c>, <c>httpRequest</c> on updates and deletes, <c>resourceProvider</c>,
/// <c>resourceUri</c>, <c>operationName</c>, <c>status</c>, <c>subscriptionId</c>, <c>tenantId</c>; no resource body).
/// </summary>
internal static class ArmEventBuilder
{
    public const string WriteSuccessType = "Microsoft.Resources.ResourceWriteSuccess";
    public const string DeleteSuccessType = "Microsoft.Resources.ResourceDeleteSuccess";

    // Contributor, the role the simulator pretends every caller has (it does no RBAC).
    private const string ContributorRoleId = "b24988ac618042a0ab8820f7382dd24c";

    public static JsonObject Build(ArmChange change, string eventId, DateTimeOffset time, ArmEventSchema schema)
    {
        var data = Data(change);
        var type = change.Kind == ArmEventKind.WriteSuccess ? WriteSuccessType : DeleteSuccessType;
        var topic = $"/subscriptions/{change.SubscriptionId}";
        var stamp = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return schema == ArmEventSchema.CloudEvents
            ? new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = eventId,
                ["source"] = topic,
                ["subject"] = change.ResourceId,
                ["type"] = type,
                ["time"] = stamp,
                ["data"] = data,
            }
            : new JsonObject
            {
                ["subject"] = change.ResourceId,
                ["eventType"] = type,
                ["eventTime"] = stamp,
                ["id"] = eventId,
                ["data"] = data,
                ["dataVersion"] = "2",
                ["metadataVersion"] = "1",
                ["topic"] = topic,
            };
    }

    public static string OperationName(ArmChange change)
    {
        var type = string.Equals(change.ResourceType, "Microsoft.Resources/resourceGroups", StringComparison.OrdinalIgnoreCase)
            ? "Microsoft.Resources/subscriptions/resourceGroups"
            : change.ResourceType;
        return $"{type}/{(change.Kind == ArmEventKind.WriteSuccess ? "write" : "delete")}";
    }

    private static JsonObject Data(ArmChange change)
    {
        var claims = new JsonObject();
        foreach (var (name, value) in change.Claims)
        {
            claims[name] = value;
        }

        var objectId = change.Claims.GetValueOrDefault(ArmCallerClaims.ObjectIdClaim);
        var tenant = change.Claims.GetValueOrDefault(ArmCallerClaims.TenantIdClaim) ?? ArmCallerClaims.DefaultTenantId;
        var evidence = new JsonObject
        {
            ["role"] = "Contributor",
            ["roleAssignmentScope"] = $"/subscriptions/{change.SubscriptionId}",
            ["roleAssignmentId"] = Guid.NewGuid().ToString("N"),
            ["roleDefinitionId"] = ContributorRoleId,
        };
        if (objectId is not null)
        {
            // ARM writes these ids without dashes (as in the Activity Log).
            evidence["principalId"] = objectId.Replace("-", string.Empty, StringComparison.Ordinal);
            evidence["principalType"] = change.Claims.ContainsKey(ArmCallerClaims.UpnClaim) ? "User" : "ServicePrincipal";
        }

        var operation = OperationName(change);
        var data = new JsonObject
        {
            ["authorization"] = new JsonObject
            {
                ["scope"] = change.ResourceId,
                ["action"] = operation,
                ["evidence"] = evidence,
            },
            ["claims"] = claims,
            ["correlationId"] = change.CorrelationId,
        };
        if (change.HttpRequest is { } request)
        {
            data["httpRequest"] = new JsonObject
            {
                ["clientRequestId"] = request.ClientRequestId,
                ["clientIpAddress"] = request.ClientIpAddress,
                ["method"] = request.Method,
                ["url"] = request.Url,
            };
        }

        data["resourceProvider"] = change.ResourceType.Split('/')[0];
        data["resourceUri"] = change.ResourceId;
        data["operationName"] = operation;
        data["status"] = "Succeeded";
        data["subscriptionId"] = change.SubscriptionId;
        data["tenantId"] = tenant;
        return data;
    }
}
