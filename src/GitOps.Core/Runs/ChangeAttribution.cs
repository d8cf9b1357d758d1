using GitOps.Core.Events;

namespace GitOps.Core.Runs;

/// <summary>
/// Who changed a resource outside git, as a run records it: from the change's ARM event, or unknown when the drift
/// timer found the difference by reading Azure (which does not say who).
/// </summary>
/// <param name="ResourceId">The resource.</param>
/// <param name="Actor">Who, as the event names them; <see cref="ChangeActor.Unknown"/> when no event did.</param>
/// <param name="Kind">Write or delete; null when unknown.</param>
/// <param name="Operation">The RBAC action of the change (e.g. <c>Microsoft.Storage/storageAccounts/write</c>); null when unknown.</param>
/// <param name="CorrelationId">ARM's correlation id of the change; null when unknown.</param>
/// <param name="ChangedAt">When ARM says it happened; null when unknown.</param>
/// <param name="Source">How the reconciler learned of it: <see cref="EventSource"/> or <see cref="DriftTimerSource"/>.</param>
public sealed record ChangeAttribution(
    string ResourceId,
    ChangeActor Actor,
    ChangeKind? Kind,
    string? Operation,
    string? CorrelationId,
    DateTimeOffset? ChangedAt,
    string Source)
{
    /// <summary>The change came with an ARM event.</summary>
    public const string EventSource = "event";

    /// <summary>The drift check found the difference; no event said who made it.</summary>
    public const string DriftTimerSource = "drift check";

    /// <summary>The attribution of a change seen in an event.</summary>
    public static ChangeAttribution FromEvent(ArmChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.ResourceId, change.Actor, change.Kind, change.OperationName, change.CorrelationId, change.EventTime, EventSource);
    }

    /// <summary>A difference found without an event: the actor is unknown.</summary>
    public static ChangeAttribution Unattributed(string resourceId) => new(resourceId, ChangeActor.Unknown, null, null, null, null, DriftTimerSource);
}
