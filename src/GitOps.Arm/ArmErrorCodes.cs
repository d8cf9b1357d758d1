namespace GitOps.Arm;

/// <summary>
/// Error codes this client puts in an <see cref="GitOps.Core.Ports.ArmRequestException"/> when the failure did not come
/// with an ARM error code (timeouts, TLS, unreadable responses).
/// </summary>
public static class ArmErrorCodes
{
    /// <summary>The operation did not reach a terminal state within <see cref="ArmResourceClientOptions.OperationTimeout"/>.</summary>
    public const string OperationTimeout = "GitOpsOperationTimeout";

    /// <summary>The request could not be sent or its response could not be read (connection refused, reset, DNS).</summary>
    public const string NetworkError = "GitOpsNetworkError";

    /// <summary>The server's TLS certificate was not trusted.</summary>
    public const string TlsFailure = "GitOpsTlsFailure";

    /// <summary>No access token could be obtained from the credential.</summary>
    public const string CredentialUnavailable = "GitOpsCredentialUnavailable";

    /// <summary>A success response whose body is not the JSON object ARM sends.</summary>
    public const string InvalidResponse = "GitOpsInvalidResponse";

    /// <summary>ARM pointed the poller at a host other than the ARM endpoint; the bearer token is never sent there.</summary>
    public const string UntrustedPollingUrl = "GitOpsUntrustedPollingUrl";

    /// <summary>A list's <c>nextLink</c> pointed at a host other than the ARM endpoint; the bearer token is never sent there.</summary>
    public const string UntrustedNextLink = "GitOpsUntrustedNextLink";

    /// <summary>ARM answered with a 3xx redirect, which is never followed (the bearer token stays on the ARM endpoint).</summary>
    public const string UnexpectedRedirect = "GitOpsUnexpectedRedirect";

    /// <summary>The operation ended <c>Failed</c> without an error code.</summary>
    public const string OperationFailed = "GitOpsOperationFailed";

    /// <summary>The operation ended <c>Canceled</c> without an error code.</summary>
    public const string OperationCanceled = "GitOpsOperationCanceled";
}
