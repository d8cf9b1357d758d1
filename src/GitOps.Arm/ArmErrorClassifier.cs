using System.Collections.Frozen;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// The one table that decides whether an ARM error is worth retrying (after Azure Service Operator's
/// <c>error_classifier.go</c>). Codes are matched case-insensitively; a code the table does not know falls back to the
/// HTTP status: 408, 409, 429 and 5xx are transient, every other 4xx is fatal, and so is an operation that ended
/// Failed (status 0) with a code nobody listed: retrying it blindly would repeat the same failed deployment.
/// </summary>
public static class ArmErrorClassifier
{
    // Transient: the same request can succeed later without anyone changing git or Azure.
    // Fatal: the request is wrong or not allowed; retrying only burns the subscription's request budget.
    private static readonly FrozenDictionary<string, ArmErrorKind> Table = new Dictionary<string, ArmErrorKind>(StringComparer.OrdinalIgnoreCase)
    {
        // Another operation holds the resource or its parent.
        ["Conflict"] = ArmErrorKind.Transient,
        ["AnotherOperationInProgress"] = ArmErrorKind.Transient,
        ["OperationNotAllowedOnResourceInTransitState"] = ArmErrorKind.Transient,
        ["RetryableError"] = ArmErrorKind.Transient,
        // Microsoft.Network answers 429 with this code when a lock, not the request rate, is the problem.
        ["RetryableErrorDueToAnotherOperation"] = ArmErrorKind.Transient,
        ["ResourceGroupBeingDeleted"] = ArmErrorKind.Transient,
        // Throttling.
        ["SubscriptionRequestsThrottled"] = ArmErrorKind.Transient,
        ["TenantRequestsThrottled"] = ArmErrorKind.Transient,
        ["TooManyRequests"] = ArmErrorKind.Transient,
        // Service side.
        ["InternalServerError"] = ArmErrorKind.Transient,
        ["ServiceUnavailable"] = ArmErrorKind.Transient,
        ["GatewayTimeout"] = ArmErrorKind.Transient,
        ["BadGateway"] = ArmErrorKind.Transient,
        ["RequestTimeout"] = ArmErrorKind.Transient,
        ["InternalOperationError"] = ArmErrorKind.Transient,
        // The parent may still be being created by an earlier wave or another writer.
        ["ParentResourceNotFound"] = ArmErrorKind.Transient,
        ["ResourceGroupNotFound"] = ArmErrorKind.Transient,
        // On a PUT, a missing referenced resource is usually one that is still being created.
        ["ResourceNotFound"] = ArmErrorKind.Transient,
        // Produced by this client: the operation may still finish; the next run observes the result.
        [ArmErrorCodes.OperationTimeout] = ArmErrorKind.Transient,
        [ArmErrorCodes.NetworkError] = ArmErrorKind.Transient,

        // The request is wrong.
        ["InvalidParameter"] = ArmErrorKind.Fatal,
        ["InvalidRequestContent"] = ArmErrorKind.Fatal,
        ["InvalidRequestFormat"] = ArmErrorKind.Fatal,
        ["BadRequest"] = ArmErrorKind.Fatal,
        ["InvalidTemplate"] = ArmErrorKind.Fatal,
        ["InvalidResourceName"] = ArmErrorKind.Fatal,
        ["InvalidResourceType"] = ArmErrorKind.Fatal,
        ["InvalidApiVersionParameter"] = ArmErrorKind.Fatal,
        ["NoRegisteredProviderFound"] = ArmErrorKind.Fatal,
        ["LocationNotAvailableForResourceType"] = ArmErrorKind.Fatal,
        ["PropertyChangeNotAllowed"] = ArmErrorKind.Fatal,
        ["SkuNotAvailable"] = ArmErrorKind.Fatal,
        ["QuotaExceeded"] = ArmErrorKind.Fatal,
        ["RequestDisallowedByPolicy"] = ArmErrorKind.Fatal,
        ["MissingSubscriptionRegistration"] = ArmErrorKind.Fatal,
        ["SubscriptionNotFound"] = ArmErrorKind.Fatal,
        ["ScopeLocked"] = ArmErrorKind.Fatal,
        // Permissions and credentials: a person has to grant or fix something.
        ["AuthorizationFailed"] = ArmErrorKind.Fatal,
        ["LinkedAuthorizationFailed"] = ArmErrorKind.Fatal,
        ["AuthenticationFailed"] = ArmErrorKind.Fatal,
        ["InvalidAuthenticationToken"] = ArmErrorKind.Fatal,
        ["ExpiredAuthenticationToken"] = ArmErrorKind.Fatal,
        ["InvalidAuthenticationTokenTenant"] = ArmErrorKind.Fatal,
        // Produced by this client.
        [ArmErrorCodes.TlsFailure] = ArmErrorKind.Fatal,
        [ArmErrorCodes.CredentialUnavailable] = ArmErrorKind.Fatal,
        [ArmErrorCodes.InvalidResponse] = ArmErrorKind.Fatal,
        [ArmErrorCodes.UntrustedPollingUrl] = ArmErrorKind.Fatal,
        [ArmErrorCodes.OperationFailed] = ArmErrorKind.Fatal,
        [ArmErrorCodes.OperationCanceled] = ArmErrorKind.Fatal,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Classifies an ARM error.</summary>
    /// <param name="code">The ARM error code (<c>error.code</c>); null or empty when the response carried none.</param>
    /// <param name="status">The HTTP status; 0 when the error came from an asynchronous operation's status body.</param>
    public static ArmErrorKind Classify(string? code, int status)
    {
        if (!string.IsNullOrEmpty(code) && Table.TryGetValue(code, out ArmErrorKind kind))
        {
            return kind;
        }

        return ClassifyStatus(status);
    }

    /// <summary>The fallback for codes the table does not know: 408, 409, 429 and 5xx are transient, the rest fatal.</summary>
    public static ArmErrorKind ClassifyStatus(int status) => status switch
    {
        408 or 409 or 429 => ArmErrorKind.Transient,
        >= 500 and < 600 => ArmErrorKind.Transient,
        _ => ArmErrorKind.Fatal,
    };

    /// <summary>True when the table lists <paramref name="code"/> explicitly.</summary>
    public static bool IsKnown(string code) => Table.ContainsKey(code);
}
