namespace GitOps.ArmSimulator;

/// <summary>One ARM request as the simulator saw and answered it. Control-API calls under <c>/_sim</c> are not recorded.</summary>
/// <param name="Time">When the request arrived (from the simulator's <see cref="TimeProvider"/>).</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The request path as sent, without the query string.</param>
/// <param name="ApiVersion">The <c>api-version</c> query parameter, or <see langword="null"/> when it was missing.</param>
/// <param name="StatusCode">The status code of the answer.</param>
/// <param name="SubscriptionId">The subscription in the path, or <see langword="null"/> for tenant-level paths.</param>
/// <param name="Kind">The throttling class of the request.</param>
/// <param name="ErrorCode">The ARM error code of an error answer, otherwise <see langword="null"/>.</param>
public sealed record ArmRequestRecord(
    DateTimeOffset Time,
    string Method,
    string Path,
    string? ApiVersion,
    int StatusCode,
    string? SubscriptionId,
    ArmOperationKind Kind,
    string? ErrorCode);
