using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// After a write, decides whether the resource counts as applied: its <c>provisioningState</c> is <c>Succeeded</c>
/// (<c>Failed</c> or <c>Canceled</c> is a failed result carrying the provider's error) and every
/// <c>reconcile.health</c> assertion holds on the live body. A resource still in progress is read again every
/// <see cref="ApplyOptions.HealthPollInterval"/> until its timeout, and never more than
/// <see cref="ApplyOptions.MaxHealthPolls"/> times, so a manifest cannot make a run wait or read without bound.
/// </summary>
/// <param name="client">Reads the resource again.</param>
/// <param name="options">Poll interval and budget.</param>
/// <param name="time">The reconciler's clock (waits and deadlines).</param>
internal sealed class HealthChecker(IArmResourceClient client, ApplyOptions options, TimeProvider time)
{
    /// <summary>The error code of a write whose resource ended <c>Failed</c> or <c>Canceled</c> without a provider error.</summary>
    public const string ProvisioningFailedCode = "ProvisioningFailed";

    // ARM's standard non-terminal states. Anything else that is not Succeeded/Failed/Canceled is a provider's own final
    // value (Service Bus answers Created), which arm-protocol.md §1 treats as done.
    private static readonly HashSet<string> InProgress = new(StringComparer.OrdinalIgnoreCase) { "Accepted", "Creating", "Updating", "Provisioning", "InProgress", "Deleting" };

    private enum Verdict
    {
        Healthy,
        Pending,
        Failed,
    }

    /// <summary>The result of a write that ARM accepted, with its health.</summary>
    public async Task<ResourceResult> AfterWriteAsync(ResourceChange change, ArmResource response, ResourceResult written, CancellationToken cancellationToken)
    {
        var health = change.Desired?.Reconcile.Health;
        var deadline = time.GetUtcNow() + (health?.Timeout ?? options.ProvisioningTimeout);
        var body = response.Body;
        for (var reads = 0; ; reads++)
        {
            var (verdict, detail) = Judge(body, health);
            if (verdict == Verdict.Failed)
            {
                return written with { Outcome = ResourceOutcome.Failed, ErrorCode = ProviderError(body).Code, Message = ProviderError(body).Message ?? detail, Health = HealthStatus.Unhealthy, HealthDetail = detail };
            }

            if (verdict == Verdict.Healthy)
            {
                return written with { Health = HealthStatus.Healthy, HealthDetail = detail };
            }

            if (reads >= options.MaxHealthPolls || time.GetUtcNow() >= deadline)
            {
                return written with { Health = HealthStatus.Unhealthy, HealthDetail = $"{detail} after {reads} health read(s)" };
            }

            await Task.Delay(options.HealthPollInterval, time, cancellationToken).ConfigureAwait(false);
            try
            {
                body = (await client.GetAsync(change.Id, change.ApiVersion, cancellationToken).ConfigureAwait(false))?.Body ?? body;
            }
            catch (ArmRequestException error) when (error.IsTransient)
            {
                // A throttled or failing read is no verdict on the resource: the next read (within the budget) decides.
            }
        }
    }

    /// <summary>
    /// The health of an observed body, without waiting: a resource that turned <c>Failed</c> between runs, or whose
    /// assertions no longer hold, is unhealthy; one in the middle of an operation is not judged (null), nor is one
    /// with nothing to say (no state, no assertions).
    /// </summary>
    public static ResourceHealth? OfLive(string id, JsonObject live, HealthSettings? health)
    {
        var state = ProvisioningState(live);
        if (state is not null && InProgress.Contains(state))
        {
            return null;
        }

        var (verdict, detail) = Judge(live, health);
        return verdict == Verdict.Healthy
            ? (state is null && health is null ? null : new ResourceHealth(id, HealthStatus.Healthy, detail))
            : new ResourceHealth(id, HealthStatus.Unhealthy, detail);
    }

    /// <summary>The body's <c>properties.provisioningState</c>, or null.</summary>
    public static string? ProvisioningState(JsonObject body) =>
        body["properties"] is JsonObject properties && properties["provisioningState"] is JsonValue value && value.TryGetValue<string>(out var state) ? state : null;

    private static bool IsFailed(string state) =>
        string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase) || string.Equals(state, "Canceled", StringComparison.OrdinalIgnoreCase);

    private static (Verdict Verdict, string Detail) Judge(JsonObject body, HealthSettings? health)
    {
        var state = ProvisioningState(body);
        if (state is not null && IsFailed(state))
        {
            return (Verdict.Failed, $"provisioningState {state}");
        }

        if (state is not null && InProgress.Contains(state))
        {
            return (Verdict.Pending, $"provisioningState {state}");
        }

        foreach (var check in health?.Checks ?? [])
        {
            var actual = Pointers.JsonPointer.Find(body, check.Path);
            if (!Matches(actual, check.EqualsValue))
            {
                return (Verdict.Pending, $"{check.Path} is {Describe(actual)}, not {check.EqualsValue}");
            }
        }

        return (Verdict.Healthy, health is { Checks.Count: > 0 } ? $"provisioningState {state ?? "absent"}; {health.Checks.Count} health check(s) hold" : $"provisioningState {state ?? "absent"}");
    }

    private static bool Matches(JsonNode? actual, string expected) => actual switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => string.Equals(text, expected, StringComparison.Ordinal),
        JsonValue value => string.Equals(value.ToJsonString(), expected, StringComparison.Ordinal),
        _ => false,
    };

    // Only the kind of the live value goes into records: a health path could point at a value that must not be recorded.
    private static string Describe(JsonNode? actual) =>
        actual is null ? "absent" : $"another {actual.GetValueKind().ToString().ToLowerInvariant()}";

    private static (string Code, string? Message) ProviderError(JsonObject body)
    {
        var error = (body["properties"] as JsonObject)?["error"] as JsonObject ?? body["error"] as JsonObject;
        var code = error?["code"] is JsonValue c && c.TryGetValue<string>(out var codeText) ? codeText : ProvisioningFailedCode;
        var message = error?["message"] is JsonValue m && m.TryGetValue<string>(out var messageText) ? messageText : null;
        return (code, message);
    }
}
