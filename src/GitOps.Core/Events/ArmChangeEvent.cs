namespace GitOps.Core.Events;

/// <summary>
/// One ARM change event, read and validated by <see cref="ArmEventReader"/>: which resource changed, how, when and by whom.
/// Like the queue it came from, it is a claim, not a fact: it can make the reconciler look at a resource it manages,
/// nothing more.
/// </summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Kind">Write or delete.</param>
/// <param name="ResourceId">The resource id (the event's subject).</param>
/// <param name="SubscriptionId">The subscription it belongs to.</param>
/// <param name="EventTime">When ARM says the change happened.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="OperationName">The RBAC action, e.g. <c>Microsoft.Storage/storageAccounts/write</c>; null when absent.</param>
/// <param name="CorrelationId">ARM's correlation id of the request; null when absent.</param>
/// <param name="Schema">The envelope it came in: <c>EventGrid</c> or <c>CloudEvents</c>.</param>
public sealed record ArmChangeEvent(
    string EventId,
    ChangeKind Kind,
    string ResourceId,
    string SubscriptionId,
    DateTimeOffset EventTime,
    ChangeActor Actor,
    string? OperationName,
    string? CorrelationId,
    string Schema)
{
    /// <summary>The principal ids the event names, each normalised (lower case, no dashes): app id, object id, evidence principal id.</summary>
    public IReadOnlyList<string> PrincipalIds { get; init; } = [];
}
