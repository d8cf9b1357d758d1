using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Runs that work within a time budget (issue 19; docs/architecture.md, "Time budget, checkpoints and segments"). With
/// a checkpoint store, each invocation of a run is a segment of at most <see cref="ReconcilerOptions.RunBudget"/>:
/// when the budget is spent it checkpoints what it observed, planned and applied, queues a follow-up job and ends; the
/// follow-up (or the redelivery of a job whose worker died) continues the same run from the checkpoint, so the run
/// record shows one run with its segments. The rules:
/// <list type="bullet">
/// <item>A checkpoint belongs to the run that holds the environment (<see cref="EnvironmentState.ActiveRun"/>); one that
/// is damaged, of another format or of another run is discarded, and that run starts again.</item>
/// <item>It names the one message that may run the next segment (<see cref="RunCheckpoint.Ticket"/>): a stale or
/// duplicate follow-up does nothing. Any other job of the environment waits until the run ends (a newer push queues
/// after it), unless the follow-up looks lost (<see cref="ReconcilerOptions.FollowUpOverdue"/>): then that job
/// continues the run itself and runs afterwards.</item>
/// <item>Every segment continues the run's commit, checked again against the branch the environment follows (the
/// definitions and policy are read from the default branch each time, as for any run).</item>
/// <item>No write is sent before a checkpoint names it (<see cref="CheckpointJournal"/>); a write named but without a
/// recorded result is observed again by the next segment instead of trusting the plan.</item>
/// <item>Checkpoints are written only under the environment lease and guarded by their ETag; a worker that lost its
/// lease, or whose checkpoint another worker wrote, stops writing at once.</item>
/// </list>
/// </summary>
public sealed partial class Reconciler
{
    // The follow-up is queued while the lease is still held (see EndSegmentAsync), so it becomes visible a moment later.
    private static readonly TimeSpan FollowUpDelay = TimeSpan.FromSeconds(1);

    private readonly record struct Opening(ReconcileResult? Result, RunSegmentSession? Session, string? RunId, DateTimeOffset? StartedAt, IReadOnlyList<string> Warnings);

    // Decides what a job does with the environment's checkpoint: start a run, continue the checkpointed one, wait for
    // it, or nothing (a stale follow-up). Runs under the lease, before anything is recorded.
    private async Task<Opening> OpenSegmentAsync(ReconcileJob job, int attempt, EnvironmentState? state, IEnvironmentLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (checkpoints is null)
        {
            return new Opening(null, null, null, null, []);
        }

        var session = new RunSegmentSession(checkpoints, _options, _time, now, attempt, lease.Lost);
        var fresh = new Opening(null, session, null, null, []);
        var warnings = new List<string>();
        var stored = await checkpoints.GetAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false);
        var active = state?.ActiveRun;
        var checkpoint = stored?.Checkpoint;
        if (stored is not null && (checkpoint is null || checkpoint.RunId != active?.RunId || checkpoint.EnvironmentKey != job.EnvironmentKey))
        {
            warnings.Add(checkpoint is null
                ? $"The environment's checkpoint could not be read ({stored.Problem}); it was discarded{(active is null ? string.Empty : $", and run {active.RunId}, which it belonged to, is not continued")}."
                : $"A checkpoint of run {checkpoint.RunId}, which does not hold the environment{(active is null ? string.Empty : $" (run {active.RunId} does)")}, was discarded.");
            await DiscardAsync(job.EnvironmentKey, stored.ETag, cancellationToken).ConfigureAwait(false);
            checkpoint = null;
        }

        fresh = fresh with { Warnings = warnings };
        int? ticket = job.ContinuesRun is { } continues
            ? checkpoint is not null && string.Equals(continues, checkpoint.RunId, StringComparison.Ordinal) ? job.Segment : -1
            : checkpoint is not null && string.Equals(job.JobId, checkpoint.JobId, StringComparison.Ordinal) ? 1 : null;

        if (checkpoint is null)
        {
            if (job.ContinuesRun is not { } run)
            {
                return fresh;
            }

            if (active?.RunId == run)
            {
                warnings.Add($"Run {run} has no checkpoint to continue from; this job reconciles again as a new run.");
                return fresh;
            }

            // The follow-up of a run that ended: a no-op, unless that run failed in a way a retry can fix (the queue
            // delivers the job again after a transient failure, and the retry is a new run as for any job).
            var record = await runs.GetAsync(run, cancellationToken).ConfigureAwait(false);
            return record is { Outcome: RunOutcome.Failed, Transient: true } ? fresh : Stale();
        }

        var last = checkpoint.Segments.Count > 0 ? checkpoint.Segments[^1] : null;
        if (ticket == checkpoint.Ticket || (ticket == checkpoint.Ticket + 1 && last?.End == RunSegmentEnd.Running))
        {
            // Its own message: the next segment, or the redelivery of one whose worker died (possibly after it queued its follow-up).
            session.Resume(stored!, ticket.Value, takeover: null);
        }
        else if (ticket is not null)
        {
            return Stale();
        }
        else if (now - checkpoint.UpdatedAt >= _options.FollowUpOverdue)
        {
            warnings.Add($"Run {checkpoint.RunId} had waited {(now - checkpoint.UpdatedAt).TotalMinutes:0} min for its next segment; job {job.JobId} ({job.Trigger.ToString().ToLowerInvariant()}) continued it and runs afterwards.");
            session.Resume(stored!, checkpoint.Ticket, takeover: job);
        }
        else
        {
            // A newer push (or a drift check, a sync) queues after the run it found between segments.
            await queue.EnqueueAsync(job, CheckpointWait(), cancellationToken).ConfigureAwait(false);
            return new Opening(new ReconcileResult(JobDisposition.Deferred, null), null, null, null, []);
        }

        // This segment claims the checkpoint: a concurrent taker of the same one loses the ETag race and waits.
        var claimed = checkpoint with
        {
            Ticket = session.Ticket,
            UpdatedAt = now,
            Segments = session.ClaimSegments(checkpoint),
        };
        if (!await session.SaveAsync(claimed, cancellationToken).ConfigureAwait(false))
        {
            await queue.EnqueueAsync(job, CheckpointWait(), cancellationToken).ConfigureAwait(false);
            return new Opening(new ReconcileResult(JobDisposition.Deferred, null), null, null, null, []);
        }

        return new Opening(null, session, checkpoint.RunId, checkpoint.StartedAt, warnings);

        static Opening Stale() => new(new ReconcileResult(JobDisposition.Complete, null), null, null, null, []);
    }

    private async Task DiscardAsync(string environmentKey, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await checkpoints!.DeleteAsync(environmentKey, etag, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            // Left behind, it is discarded again by the next run; it is never continued, since it names no active run.
        }
    }

    private TimeSpan CheckpointWait()
    {
        var jitter = Math.Clamp(_options.LeaseBusyJitter, 0, 1);
        return _options.CheckpointWaitDelay * (1 + (jitter * ((Random.Shared.NextDouble() * 2) - 1)));
    }

    // The run continues the commit it started with, whatever the branch did since; it must still be on the branch the
    // environment follows, as gitops.yaml on the default branch says now.
    private async Task ResumeCommitAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Segment!;
        var checkpoint = session.Checkpoint!;
        var job = context.Job;
        var definitions = await source.ResolveAsync(job.Repository, branch: null, commit: null, cancellationToken).ConfigureAwait(false);
        var environment = await ReadEnvironmentAsync(context, definitions, cancellationToken).ConfigureAwait(false);
        session.Restore(context);
        if (environment is null)
        {
            return;
        }

        var tip = string.Equals(environment.Branch, source.GetDefaultBranch(job.Repository), StringComparison.Ordinal)
            ? definitions
            : await source.ResolveAsync(job.Repository, environment.Branch, commit: null, cancellationToken).ConfigureAwait(false);
        context.Commit = checkpoint.Commit;
        if (!await IsOnBranchAsync(context, checkpoint.Commit.Sha, tip, cancellationToken).ConfigureAwait(false))
        {
            context.Errors.Add($"Commit {checkpoint.Commit.ShortSha}, which this run started with, is no longer reachable from {environment.Branch} (tip {tip.ShortSha}).");
            context.Stop(
                RunOutcome.Refused,
                Conditions.CommitRefused,
                $"Refused to continue commit {checkpoint.Commit.ShortSha}: it is no longer on {environment.Branch}; the run stopped after {session.Number - 1} segment(s), and what they wrote is recorded.");
            return;
        }

        if (!string.Equals(tip.Sha, checkpoint.Commit.Sha, StringComparison.OrdinalIgnoreCase) && checkpoint.RollbackTip is null)
        {
            context.Warnings.Add($"{environment.Branch} moved on since this run started; it finishes {checkpoint.Commit.ShortSha}, and the newer commits are applied by the jobs queued after it.");
        }
    }

    /// <summary>True when the run reports differences instead of writing them.</summary>
    private static bool IsDetectOnly(RunContext context) =>
        (context.Environment!.DriftMode == DriftMode.Detect && context.Job.Trigger == RunTrigger.Drift) || context.Suspension is not null || context.DriftHeldByWindow is not null;

    private static PlanOptions PlanOptionsFor(RunContext context) => new()
    {
        DriftMode = IsDetectOnly(context) ? DriftMode.Detect : DriftMode.Correct,
        Prune = context.Environment!.Prune,
    };

    // Observes in chunks, looking at the budget between them; what a segment observed without planning it yet is
    // planned into the checkpoint when the budget runs out (and every CheckpointInterval of a long observation).
    private async Task<IReadOnlyDictionary<string, JsonObject>> ObserveWithinBudgetAsync(RunContext context, CancellationToken cancellationToken)
    {
        var observer = new LiveStateObserver(arm, _options.Apply);
        if (context.Segment is not { } session)
        {
            return await observer.ObserveAsync(context.Resources, context.PlanInventory, cancellationToken).ConfigureAwait(false);
        }

        context.DetectOnly = IsDetectOnly(context);
        if (session.Resuming && session.DetectOnly != context.DetectOnly)
        {
            session.ForgetPlanned();
            context.Warnings.Add(context.DetectOnly
                ? "The environment is held to reporting since the run started (suspended, or a drift run in detect mode): every resource is observed again, and nothing more is written."
                : "The environment may be written again since the run started (its suspension ended): every resource is observed and planned again.");
        }

        var targets = session.ToObserve(context.Resources, context.Warnings);
        // Looked for once per segment: the lists cost a few calls, and a follow-up segment has fewer left to look for.
        // A write an earlier segment sent without a recorded result is read with a GET: a create still in progress
        // may not be in its collection's list yet.
        var absent = await observer.FindAbsentAsync(targets.Where(r => !session.InDoubt(r.Id)).ToList(), context.PlanInventory, cancellationToken).ConfigureAwait(false);
        var live = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var observed = new List<DeclaredResource>(targets.Count);
        using var timed = new CancellationTokenSource(HardStop(session), _time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timed.Token);
        var lastCheckpoint = _time.GetUtcNow();
        foreach (var chunk in targets.Chunk(Math.Max(1, _options.ObserveChunk)))
        {
            // At least one chunk per segment, so that every segment makes progress whatever the budget.
            if (observed.Count > 0 && session.BudgetSpent)
            {
                session.SpendBudget();
                break;
            }

            if (observed.Count > 0 && _time.GetUtcNow() - lastCheckpoint >= _options.CheckpointInterval)
            {
                session.Remember(context, live, observed, PlanOptionsFor(context));
                if (!await session.SaveAsync(session.Snapshot(context, session.Ticket, RunSegmentEnd.Running, session.Describe(Declared(context))), cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                lastCheckpoint = _time.GetUtcNow();
            }

            IReadOnlyDictionary<string, JsonObject> part;
            try
            {
                part = await observer.ReadAsync(chunk, absent, bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                session.SpendBudget();
                break;
            }

            session.CountObserved(chunk);
            foreach (var (id, body) in part)
            {
                live[id] = body;
            }

            observed.AddRange(chunk);
        }

        if (session.Ended)
        {
            session.Remember(context, live, observed, PlanOptionsFor(context));
        }

        return live;
    }

    // Applies what is left of the plan: changes an earlier segment ended are not written again, dependents of those
    // that ended badly are skipped, and each write waits for a checkpoint that names it.
    private async Task<ApplyResult> ApplyWithinBudgetAsync(RunContext context, PlanResult plan, CancellationToken cancellationToken)
    {
        var served = SecretPins.Serve(context.Secrets);
        var start = context.PlanInventory;
        if (context.Segment is not { } session)
        {
            return await new Applier(arm, _options.Apply, _time, served).ApplyAsync(plan, start, context.Live, cancellationToken).ConfigureAwait(false);
        }

        var acting = plan.Changes.Where(c => c.Action is PlanAction.Create or PlanAction.Update or PlanAction.Delete or PlanAction.Detach).ToList();
        var outcome = new Dictionary<string, ResourceResult>(session.Results, StringComparer.OrdinalIgnoreCase);
        var deleteBlockers = acting.Where(c => c.Action == PlanAction.Delete)
            .SelectMany(d => d.DependsOn.Select(dependency => (Dependency: dependency, Dependent: d.Id)))
            .ToLookup(p => p.Dependency, p => p.Dependent, StringComparer.OrdinalIgnoreCase);
        var pending = new List<ResourceChange>();
        foreach (var change in acting.Where(c => !outcome.ContainsKey(c.Id)))
        {
            var blockers = change.Action == PlanAction.Delete ? deleteBlockers[change.Id] : change.DependsOn;
            var blocker = blockers.Select(id => outcome.GetValueOrDefault(id)).FirstOrDefault(r => r is not null && (r.Outcome != ResourceOutcome.Succeeded || r.Health == HealthStatus.Unhealthy));
            if (blocker is null)
            {
                pending.Add(change);
                continue;
            }

            var skipped = blocker.Outcome == ResourceOutcome.Succeeded
                ? new ResourceResult(change.Id, change.Action, ResourceOutcome.Skipped, Applier.DependencyUnhealthyCode, $"Skipped: {blocker.Id} was written but is not healthy ({blocker.HealthDetail}).")
                : new ResourceResult(change.Id, change.Action, ResourceOutcome.Skipped, Applier.DependencyFailedCode, $"Skipped: {blocker.Id} was {(blocker.Outcome == ResourceOutcome.Failed ? "not applied (it failed)" : "skipped")}.") { Transient = blocker.Transient };
            outcome[change.Id] = skipped;
            session.Completed(change, skipped, start);
        }

        if (pending.Count > 0)
        {
            var journal = new CheckpointJournal(session, start, _options.CheckpointWindow, intent =>
            {
                session.SetInFlight(intent);
                return session.SaveAsync(session.Snapshot(context, session.Ticket, RunSegmentEnd.Running, session.Describe(Declared(context))), CancellationToken.None);
            });
            using var timed = new CancellationTokenSource(HardStop(session), _time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timed.Token);
            var applied = await new Applier(arm, _options.Apply, _time, served, journal)
                .ApplyAsync(new PlanResult(plan.Environment, pending, plan.Notes), start, context.Live, bounded.Token).ConfigureAwait(false);
            foreach (var result in applied.Results)
            {
                outcome[result.Id] = result;
            }

            if (applied.Results.Any(r => !RunSegmentSession.IsFinal(r)))
            {
                if (session.LeaseLost.IsCancellationRequested)
                {
                    session.Stop("The environment lease could not be renewed; another worker may continue the run.");
                }
                else if (cancellationToken.IsCancellationRequested)
                {
                    session.Stop("The worker is shutting down.");
                }
                else if (!journal.Failed)
                {
                    session.SpendBudget();
                }
                else
                {
                    session.Stop("A checkpoint could not be written before a write; nothing more was sent.");
                }

                // Cut off in flight (the grace after the budget ran out, or a shutdown): their fate is unknown.
                session.SetInFlight(journal.Unrecorded());
            }
        }

        var results = acting.Select(c => outcome.GetValueOrDefault(c.Id)).OfType<ResourceResult>().ToList();
        return session.Ended
            ? new ApplyResult(results.Where(RunSegmentSession.IsFinal).ToList(), session.Inventory(start))
            : new ApplyResult(results, InventoryUpdate.Compute(start, plan, results));
    }

    // In flight work may run this long past the budget; never less than the grace from now, so a segment that spent its
    // budget before reaching ARM (a slow git fetch) still makes progress.
    private TimeSpan HardStop(RunSegmentSession session)
    {
        var now = _time.GetUtcNow();
        var stop = session.HardDeadline > now + _options.RunBudgetGrace ? session.HardDeadline : now + _options.RunBudgetGrace;
        return stop - now;
    }

    private static int Declared(RunContext context) => context.Resources.Count(r => r.Reconcile.Policy != ResourcePolicy.Detach);

    // A segment that ends without ending its run: checkpoint, follow-up job, Running record. Returns false when the run
    // ends here (the caller records it as usual).
    private async Task<bool> EndSegmentAsync(RunContext context)
    {
        if (context.Segment is not { } session)
        {
            return false;
        }

        // Stopped from outside, after something was checkpointed: the redelivery of this job resumes.
        if (!session.Ended && session.HasCheckpoint && context.Reason is Conditions.LeaseLost or Conditions.WorkerShutdown)
        {
            session.Stop(context.Summary ?? context.Reason);
        }

        if (!session.Ended)
        {
            return false;
        }

        var leaseLost = session.LeaseLost.IsCancellationRequested;
        if (session.End == RunSegmentEnd.Continued)
        {
            // Queued before the checkpoint moves on, while the lease is held: a worker that dies in between leaves a
            // follow-up whose ticket the checkpoint accepts (the next one, after a segment without an end).
            try
            {
                await queue.EnqueueAsync(FollowUp(context.Job, context.RunId, session.Ticket + 1), FollowUpDelay, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception error) when (IsStorageFailure(error))
            {
                session.Stop($"The follow-up job could not be queued ({error.Message}); this job is delivered again and continues the run.");
            }
        }

        if (!leaseLost)
        {
            var end = session.End!.Value;
            var summary = SegmentSummary(context, session);
            await session.SaveAsync(session.Snapshot(context, end == RunSegmentEnd.Continued ? session.Ticket + 1 : session.Ticket, end, session.Describe(Declared(context))), CancellationToken.None).ConfigureAwait(false);
            try
            {
                await SaveRecordAsync(BuildRecord(context) with { Outcome = RunOutcome.Running, Reason = null, Summary = summary, FinishedAt = null, Transient = false }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception error) when (IsStorageFailure(error))
            {
                // The checkpoint holds the run's progress; the record catches up at the next segment.
            }
        }

        session.Continuation = session.End == RunSegmentEnd.Continued ? SegmentContinuation.FollowUp : SegmentContinuation.Retry;
        return true;
    }

    private static string SegmentSummary(RunContext context, RunSegmentSession session) => session.End == RunSegmentEnd.Continued
        ? $"Running: {Lower(session.Describe(Declared(context)))[..^1]}; the {Budget(session)} budget was spent, and a follow-up job continues the run."
        : $"Running: {Lower(session.Describe(Declared(context)))[..^1]}; stopped early ({session.StopReason}). The job is delivered again and resumes from the checkpoint.";

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    private static string Budget(RunSegmentSession session)
    {
        var budget = session.Deadline - session.SegmentStartedAt;
        return budget.TotalMinutes >= 1 && budget.Seconds == 0 ? $"{budget.TotalMinutes:0}-minute" : $"{budget.TotalSeconds:0}-second";
    }

    private ReconcileJob FollowUp(ReconcileJob job, string runId, int ticket) =>
        job with { ContinuesRun = runId, Segment = ticket, EnqueuedAt = _time.GetUtcNow(), ThrottledRetries = 0, ThrottledSince = null };

    // After a segment that did not end its run.
    private async Task<ReconcileResult> ContinueAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Segment!;
        var running = BuildRecord(context) with { Outcome = RunOutcome.Running, Reason = null, Summary = SegmentSummary(context, session), FinishedAt = null, Transient = false };
        if (session.Continuation == SegmentContinuation.FollowUp)
        {
            if (session.Takeover is { } again)
            {
                await queue.EnqueueAsync(again with { ContinuesRun = null, Segment = 0 }, CheckpointWait(), cancellationToken).ConfigureAwait(false);
            }

            return new ReconcileResult(JobDisposition.Continued, running);
        }

        return new ReconcileResult(JobDisposition.Retry, running);
    }

    // A job of another request that continued a run whose follow-up looked lost runs itself once that run ended.
    private async Task<bool> RequeueTakeoverAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Segment?.Takeover is not { } again)
        {
            return true;
        }

        try
        {
            await queue.EnqueueAsync(again, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (IsStorageFailure(error))
        {
            return false;
        }
    }

    // Beside the record, for a run that changed something: every change (no-ops included) and every result.
    private async Task KeepFullPlanAsync(RunContext context, CancellationToken cancellationToken)
    {
        var results = context.Applied?.Results ?? [];
        if (!RunRecordCompaction.NeedsDetail(context.Plan, results))
        {
            return;
        }

        var detail = new RunDetail
        {
            RunId = context.RunId,
            Repository = context.Job.Repository,
            Environment = context.Job.Environment,
            Plan = context.Plan is { } plan ? RecordedPlan.From(plan) : null,
            Results = results,
            Health = HealthOutcome.Of(context),
        };
        try
        {
            context.FullPlan = await runs.SaveDetailAsync(detail, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (IsStorageFailure(error))
        {
            context.Warnings.Add($"The run's full plan could not be kept beside its record ({error.GetType().Name}); the record lists what changed.");
        }
    }

    // Once the run's end is recorded, its checkpoint has served.
    private async Task FinishCheckpointAsync(RunContext context)
    {
        if (!context.RecordFailed && context.Segment is { } session)
        {
            await session.DeleteAsync(context.Job.EnvironmentKey).ConfigureAwait(false);
        }
    }
}
