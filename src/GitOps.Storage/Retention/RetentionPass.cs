namespace GitOps.Storage.Retention;

/// <summary>What one cleanup pass did; it is also stored as <c>retention/&lt;inverted ticks&gt;.json</c>.</summary>
/// <param name="StartedAt">When the pass started (the clock the ages were measured against).</param>
/// <param name="RunsDeletedByAge">Runs deleted for being older than the age limit.</param>
/// <param name="RunsDeletedByCount">Runs deleted for being beyond the per-environment count.</param>
/// <param name="DeliveriesDeleted">Webhook delivery records deleted.</param>
/// <param name="PreviewsDeleted">Pull-request preview blobs deleted.</param>
/// <param name="DeletedRunIds">The ids of the deleted runs.</param>
/// <param name="Complete">False when the pass stopped at its deletion budget; the next pass continues.</param>
public sealed record RetentionPass(
    DateTimeOffset StartedAt,
    int RunsDeletedByAge,
    int RunsDeletedByCount,
    int DeliveriesDeleted,
    int PreviewsDeleted,
    IReadOnlyList<string> DeletedRunIds,
    bool Complete)
{
    /// <summary>One line for the log, the same in both hosts' timers.</summary>
    public string Summary =>
        $"deleted {RunsDeletedByAge} run(s) by age, {RunsDeletedByCount} beyond the per-environment count, {DeliveriesDeleted} delivery record(s) and {PreviewsDeleted} preview blob(s){(Complete ? string.Empty : "; more remain for the next pass")}";
}
