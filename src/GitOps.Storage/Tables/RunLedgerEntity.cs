using Azure.Data.Tables;
using GitOps.Core.Runs;

namespace GitOps.Storage.Tables;

/// <summary>
/// The ledger's entity: a <see cref="RunSummary"/> as table properties. Every run has two with the same properties,
/// one in its environment's partition and one in <see cref="TableRunLedger.AllPartition"/>; the row key is the run id
/// (inverted ticks first), so both partitions read newest first.
/// </summary>
internal static class RunLedgerEntity
{
    public static TableEntity From(RunSummary run, string partitionKey)
    {
        var entity = new TableEntity(partitionKey, run.RunId)
        {
            ["Repository"] = run.Repository,
            ["Environment"] = run.Environment,
            ["Trigger"] = run.Trigger.ToString(),
            ["RequestedBy"] = run.RequestedBy,
            ["Attempt"] = run.Attempt,
            ["StartedAt"] = run.StartedAt.ToUniversalTime(),
            ["FinishedAt"] = run.FinishedAt?.ToUniversalTime(),
            ["Outcome"] = run.Outcome.ToString(),
            ["Reason"] = run.Reason,
            ["Summary"] = run.Summary,
            ["Creates"] = run.Creates,
            ["Updates"] = run.Updates,
            ["Deletes"] = run.Deletes,
            ["Drifted"] = run.Drifted,
            ["Failed"] = run.Failed,
            ["Errors"] = run.ErrorCount,
            ["Body"] = run.Body,
            ["ChangedBy"] = run.ChangedBy,
        };
        if (run.Commit is { } commit)
        {
            entity["CommitSha"] = commit.Sha;
            entity["CommitAuthor"] = commit.Author;
            entity["CommitTime"] = commit.Time.ToUniversalTime();
            entity["CommitSubject"] = commit.Message;
        }

        return entity;
    }

    /// <summary>The summary, or null for an entity this version cannot read (an unknown outcome from a newer writer).</summary>
    public static RunSummary? ToSummary(TableEntity entity)
    {
        if (!Enum.TryParse<RunTrigger>(entity.GetString("Trigger"), out var trigger)
            || !Enum.TryParse<RunOutcome>(entity.GetString("Outcome"), out var outcome)
            || entity.GetString("Repository") is not { } repository
            || entity.GetString("Environment") is not { } environment
            || entity.GetDateTimeOffset("StartedAt") is not { } startedAt)
        {
            return null;
        }

        var sha = entity.GetString("CommitSha");
        return new RunSummary
        {
            RunId = entity.RowKey,
            Repository = repository,
            Environment = environment,
            Trigger = trigger,
            RequestedBy = entity.GetString("RequestedBy"),
            Attempt = entity.GetInt32("Attempt") ?? 1,
            Commit = sha is null
                ? null
                : new CommitInfo(sha, entity.GetString("CommitAuthor") ?? string.Empty, null, entity.GetDateTimeOffset("CommitTime") ?? default, entity.GetString("CommitSubject") ?? string.Empty),
            StartedAt = startedAt,
            FinishedAt = entity.GetDateTimeOffset("FinishedAt"),
            Outcome = outcome,
            Reason = entity.GetString("Reason"),
            Summary = entity.GetString("Summary") ?? string.Empty,
            Creates = entity.GetInt32("Creates") ?? 0,
            Updates = entity.GetInt32("Updates") ?? 0,
            Deletes = entity.GetInt32("Deletes") ?? 0,
            Drifted = entity.GetInt32("Drifted") ?? 0,
            Failed = entity.GetInt32("Failed") ?? 0,
            ErrorCount = entity.GetInt32("Errors") ?? 0,
            Body = entity.GetString("Body"),
            ChangedBy = entity.GetString("ChangedBy"),
        };
    }
}
