namespace GitOps.Core.Apply;

/// <summary>Whether a resource is ready for use after a write, or as observed.</summary>
public enum HealthStatus
{
    /// <summary><c>provisioningState</c> is <c>Succeeded</c> (or absent, which ARM means as done) and every <c>reconcile.health</c> assertion holds.</summary>
    Healthy,

    /// <summary>Not healthy: <c>provisioningState</c> is <c>Failed</c> or <c>Canceled</c>, still running past the wait, or an assertion does not hold.</summary>
    Unhealthy,
}

/// <summary>The health of one resource as a run saw it, shown on the status page's run view.</summary>
/// <param name="Id">The resource id.</param>
/// <param name="Status">Healthy or unhealthy.</param>
/// <param name="Detail">Why, e.g. "provisioningState Failed" or "/properties/state is Starting, expected Running".</param>
public sealed record ResourceHealth(string Id, HealthStatus Status, string Detail);
