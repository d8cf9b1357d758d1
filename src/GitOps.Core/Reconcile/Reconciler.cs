using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Core.Telemetry;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Reconciles one environment at one commit: the loop of docs/architecture.md with Flux's fixed shape. It takes the
/// environment's lease, runs an ordered list of steps that stops at the first one that ends the run, and — on every
/// path, in <c>finally</c> — writes the run record and the environment state, then releases the lease.
/// </summary>
/// <remarks>
/// <para>Trust: the environment's definition (branch, path, subscription, prune, mode, suspension) is read from
/// <c>gitops.yaml</c> at the tip of the repository's default branch, never at the job's commit, and so are the policy
/// rules; a job's commit is applied only when it is reachable from the tip of that environment's branch. Anything else
/// is recorded as <see cref="RunOutcome.Refused"/> with nothing observed or written. A job is only a request: whoever
/// can write to the queue can ask for a run, never choose what a run trusts.</para>
/// <para>Idempotent: a redelivered job for an applied commit plans no change and writes nothing to ARM. A push job whose
/// commit the branch has moved past reconciles the branch tip instead (a burst of pushes collapses into a few
/// applies); a job for a commit older than the applied one is recorded as superseded.</para>
/// <para>History: once its commit is chosen a run writes a <see cref="RunOutcome.Running"/> record and claims the
/// state (<see cref="EnvironmentState.ActiveRun"/>), so an attempt that dies shows as interrupted; its final state
/// write is fenced by that claim, so a worker frozen past its lease never overwrites a newer run's state.</para>
/// </remarks>
/// <param name="source">Reads the config repository.</param>
/// <param name="arm">Reads and writes ARM.</param>
/// <param name="runs">Keeps run records.</param>
/// <param name="states">Keeps environment states.</param>
/// <param name="locks">Environment leases.</param>
/// <param name="queue">Re-enqueues deferred jobs.</param>
/// <param name="options">Limits and timings.</param>
/// <param name="timeProvider">Clock.</param>
/// <param name="secrets">Reads <c>keyvault('…')</c> secrets; null makes runs of manifests that use one fail with a clear error.</param>
/// <param name="index">The resource index that routes ARM events, kept in step with every inventory a run writes; null keeps none.</param>
/// <param name="checkpoints">Keeps the checkpoint of a run working within <see cref="ReconcilerOptions.RunBudget"/> (see
/// Reconciler.Segments.cs); null runs every job in one invocation, however long.</param>
public sealed partial class Reconciler(
    IConfigSource source,
    IArmResourceClient arm,
    IRunStore runs,
    IEnvironmentStateStore states,
    IEnvironmentLock locks,
    IJobQueue queue,
    ReconcilerOptions? options = null,
    TimeProvider? timeProvider = null,
    ISecretResolver? secrets = null,
    IResourceIndex? index = null,
    IRunCheckpointStore? checkpoints = null)
{
    private readonly ReconcilerOptions _options = options ?? ReconcilerOptions.Default;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    private delegate Task Step(RunContext context, CancellationToken cancellationToken);

    /// <summary>Runs one job. Never throws for a run's own failures: they are recorded and reflected in the disposition.</summary>
    /// <param name="job">The job.</param>
    /// <param name="attempt">The queue's dequeue count (1 = first delivery).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public Task<ReconcileResult> ReconcileAsync(ReconcileJob job, int attempt = 1, CancellationToken cancellationToken = default) =>
        ReconcileAsync(job, attempt, scope: null, cancellationToken);

    /// <summary>
    /// Runs one job, narrowed to the resources a <paramref name="scope"/> names (a drift job made from ARM events), or of
    /// the whole environment when it is null. A narrowed run is a drift run like any other (the drift mode decides
    /// whether it corrects), reads and checks the environment as every run does, and observes, plans and writes only
    /// the declared resources the scope selects (<see cref="ObservationScope"/>).
    /// </summary>
    /// <param name="job">The job.</param>
    /// <param name="attempt">The queue's dequeue count (1 = first delivery).</param>
    /// <param name="scope">The resources to narrow to, or null.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<ReconcileResult> ReconcileAsync(ReconcileJob job, int attempt, RunScope? scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);

        // Every ARM request of the run, however deep, is scheduled by the throttle budget as this environment's, at the
        // trigger's priority: a push is not queued behind another environment's drift sweep in a shared subscription.
        using var caller = ArmCallContext.Enter(new ArmCaller(PriorityOf(job.Trigger), job.EnvironmentKey));
        GitOpsTelemetry.JobTaken(job, _time.GetUtcNow());
        using var runActivity = GitOpsTelemetry.StartRun(job, attempt);
        var lease = await locks.TryAcquireAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            // Re-enqueue as a new message rather than failing: waiting for a busy environment is not a failure and
            // must not use up the dequeue count that sends real failures to the poison queue.
            await queue.EnqueueAsync(job, LeaseBusyDelay(), cancellationToken).ConfigureAwait(false);
            return new ReconcileResult(JobDisposition.Deferred, null);
        }

        await using (lease.ConfigureAwait(false))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            var stored = await states.GetAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var opening = await OpenSegmentAsync(job, attempt, stored?.State, lease, now, linked.Token).ConfigureAwait(false);
            if (opening.Result is { } settled)
            {
                return settled;
            }

            var context = new RunContext(job, attempt, opening.RunId ?? RunIds.New(now), opening.StartedAt ?? now, stored?.State ?? EnvironmentState.New(job.Repository, job.Environment))
            {
                ETag = stored?.ETag,
                Scope = job.Trigger == RunTrigger.Drift ? scope : null,
                Segment = opening.Session,

                // A continued run holds the claim its first segment made (the checkpoint is only taken when it does).
                Claimed = opening.Session is { Resuming: true },
            };
            context.Warnings.AddRange(opening.Warnings);
            try
            {
                (string Name, Step Run)[] steps =
                [
                    ("fetch", SelectCommitAsync), ("window", CheckSyncWindow), ("claim", ClaimAsync), ("load", LoadManifestsAsync),
                    ("policy", CheckPolicy), ("scope", SelectScope), ("secrets", ResolveSecretsAsync), ("target", SelectTargetsAsync), ("observe", ObserveAsync), ("health", ObserveHealth),
                    ("plan", PlanAsync), ("apply", ApplyAsync),
                ];
                foreach (var (name, step) in steps)
                {
                    using (GitOpsTelemetry.StartStep(name))
                    {
                        await step(context, linked.Token).ConfigureAwait(false);
                    }

                    // A run that ends while choosing its commit (refused, superseded, invalid) has observed and written
                    // nothing, so it is recorded once, without the Running record and the claim: a burst of pushes
                    // does not pay two extra storage writes per superseded job.
                    if (context.DeferBy is not null || context.Outcome is not null || context.Segment?.Ended == true)
                    {
                        break;
                    }
                }
            }
            catch (ConfigSourceException error)
            {
                context.Errors.Add(error.Message);
                context.Stop(RunOutcome.Failed, Conditions.SourceFetchFailed, $"Could not read the config repository: {error.Message}", error.IsTransient);
            }
            catch (ObservationException error)
            {
                context.Errors.Add(error.Message);
                context.Stop(RunOutcome.Failed, Conditions.ObservationFailed, "Could not read live state from Azure; nothing was written.", error.IsTransient);
            }
            catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                context.Errors.Add("The environment lease could not be renewed; the run stopped so that another worker can take over.");
                context.Stop(RunOutcome.Failed, Conditions.LeaseLost, "Stopped: lost the environment lease.", transient: true);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Errors.Add("The worker is shutting down; the job will be delivered again.");
                context.Stop(RunOutcome.Failed, Conditions.WorkerShutdown, "Stopped: the worker is shutting down.", transient: true);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Unknown failures are retried: the queue's dequeue limit turns a persistent one into a poisoned job.
                context.Errors.Add($"{error.GetType().Name}: {error.Message}");
                context.Stop(RunOutcome.Failed, Conditions.UnexpectedError, $"Unexpected error: {error.Message}", transient: true);
            }
            finally
            {
                // The record and state are written even when the caller is shutting down; a deferred job has neither, and a
                // segment that ends without ending its run writes its checkpoint and a Running record instead.
                if (context.DeferBy is null && !await EndSegmentAsync(context).ConfigureAwait(false))
                {
                    PlanRetryAfter(context, cancellationToken.IsCancellationRequested);
                    using (GitOpsTelemetry.StartStep("record"))
                    {
                        await RecordAsync(context, CancellationToken.None).ConfigureAwait(false);
                    }

                    GitOpsTelemetry.RunRecorded(runActivity, BuildRecord(context), Drifted(context));
                }
            }

            if (context.DeferBy is { } settle)
            {
                await queue.EnqueueAsync(job, settle, cancellationToken).ConfigureAwait(false);
                return new ReconcileResult(JobDisposition.Deferred, null);
            }

            if (context.Segment?.Continuation is not null)
            {
                return await ContinueAsync(context, cancellationToken).ConfigureAwait(false);
            }

            if (context.WindowDeferBy is { } windowOpens && !context.RecordFailed)
            {
                return await SyncWindowGate.RequeueAsync(queue, job, windowOpens, BuildRecord(context), cancellationToken).ConfigureAwait(false);
            }

            if (!await RequeueTakeoverAsync(context, cancellationToken).ConfigureAwait(false))
            {
                return new ReconcileResult(JobDisposition.Retry, BuildRecord(context));
            }

            var run = BuildRecord(context);
            if (context.RetryAfter is { } wait && !context.RecordFailed && await TryEnqueueThrottledAsync(context, wait, cancellationToken).ConfigureAwait(false))
            {
                return new ReconcileResult(JobDisposition.RetryAfter, run) { RetryAfter = wait };
            }

            // A record that could not be written keeps the job: the next delivery runs again (and, with live state
            // already matching, writes nothing to ARM) instead of losing the history of what was done.
            return new ReconcileResult(run.Transient || context.RecordFailed ? JobDisposition.Retry : JobDisposition.Complete, run);
        }
    }

    // ARM asked for time (a 429, or Retry-After on a 5xx/409): coming back before then is refused again, and the queue's
    // own retries would burn the dequeue count on answers known in advance. So the job waits as a new message for the
    // longest wait asked (bounded), and the record says when it runs again. Only a run that would otherwise be retried
    // qualifies: a fatal failure next to a throttle is still a failure. Past the budget, the queue's retries take over.
    private void PlanRetryAfter(RunContext context, bool shuttingDown)
    {
        if (shuttingDown || !context.Transient || context.Outcome != RunOutcome.Failed)
        {
            return;
        }

        var asked = (context.Applied?.Results.Select(r => r.RetryAfter) ?? []).Append(context.ObserveRetryAfter).Max();
        if (asked is not { } longest)
        {
            return;
        }

        var wait = longest < _options.RetryAfterMinimum ? _options.RetryAfterMinimum : longest > _options.RetryAfterMaximum ? _options.RetryAfterMaximum : longest;
        var now = _time.GetUtcNow();
        var since = context.Job.ThrottledSince ?? now;
        if (now + wait - since > _options.RetryAfterBudget)
        {
            context.Warnings.Add(
                $"ARM has asked this job to wait since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({context.Job.ThrottledRetries} throttled retries); the wait budget of {_options.RetryAfterBudget} is spent, " +
                "so this run counts as a failure: the queue retries it and moves it to the poison queue past its dequeue limit.");
            return;
        }

        context.RetryAfter = wait;
        context.Summary = $"{context.Summary} Throttled: ARM asked to wait {Seconds(longest)}; the job runs again at {(now + wait).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (in {Seconds(wait)}).";
    }

    // What differed from git in Azure: reported differences, and on a drift run every write it had to make (nothing
    // in git changed, so each write corrects something changed outside git).
    private static int Drifted(RunContext context) => context.Plan?.Summary is not { } summary ? 0
        : summary.Drift + (context.Job.Trigger == RunTrigger.Drift ? summary.Create + summary.Update + summary.Delete : 0);

    private static string Seconds(TimeSpan wait) => $"{Math.Ceiling(wait.TotalSeconds):0} s";

    /// <summary>The priority of a run's ARM requests: someone waits for a push or a rollback; nobody waits for a drift check.</summary>
    /// <param name="trigger">What started the run.</param>
    /// <returns>The priority its requests wait at when the subscription's budget is short.</returns>
    internal static ArmCallPriority PriorityOf(RunTrigger trigger) => trigger switch
    {
        RunTrigger.Push or RunTrigger.Rollback => ArmCallPriority.Push,
        RunTrigger.Drift => ArmCallPriority.Drift,
        _ => ArmCallPriority.Manual,
    };

    // The same job (id, commit, trigger, requester) as a new message; a failed enqueue keeps the current message instead,
    // for the queue's ordinary retry.
    private async Task<bool> TryEnqueueThrottledAsync(RunContext context, TimeSpan wait, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var again = job with { ThrottledRetries = job.ThrottledRetries + 1, ThrottledSince = job.ThrottledSince ?? context.FinishedAt ?? _time.GetUtcNow(), ContinuesRun = null, Segment = 0 };
        try
        {
            await queue.EnqueueAsync(again, wait, cancellationToken).ConfigureAwait(false);
            GitOpsTelemetry.ThrottleWait(wait, context.Job.EnvironmentKey);
            return true;
        }
        catch (Exception error) when (IsStorageFailure(error))
        {
            return false;
        }
    }

    private TimeSpan LeaseBusyDelay()
    {
        var jitter = Math.Clamp(_options.LeaseBusyJitter, 0, 1);
        return _options.LeaseBusyDelay * (1 + (jitter * ((Random.Shared.NextDouble() * 2) - 1)));
    }

    // Which commit, judged only by what the default branch says: the environment's definition comes from gitops.yaml
    // at the default branch's tip, and the job's commit must be reachable from the tip of the branch it declares. The
    // job is a request (a webhook, a person, a queue writer), never a source of trust.
    private async Task SelectCommitAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Segment is { Resuming: true })
        {
            await ResumeCommitAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        var job = context.Job;
        var definitions = await source.ResolveAsync(job.Repository, branch: null, commit: null, cancellationToken).ConfigureAwait(false);
        var environment = await ReadEnvironmentAsync(context, definitions, cancellationToken).ConfigureAwait(false);
        if (environment is null)
        {
            return;
        }

        // One fetch per branch per run: an environment that follows the default branch gets the tip just resolved for
        // its definitions (the same commit, so trust is unchanged), and every later decision uses this one tip.
        var tip = string.Equals(environment.Branch, source.GetDefaultBranch(job.Repository), StringComparison.Ordinal)
            ? definitions
            : await source.ResolveAsync(job.Repository, environment.Branch, commit: null, cancellationToken).ConfigureAwait(false);
        if (job.Commit is not null && !await IsOnBranchAsync(context, job.Commit, tip, cancellationToken).ConfigureAwait(false))
        {
            context.Commit = null;
            context.Errors.Add(
                $"Commit {Short(job.Commit)} is not reachable from {environment.Branch} (tip {tip.ShortSha}), the branch environment '{environment.Name}' " +
                $"follows according to {ManifestLoader.ConfigFileName} on the default branch ({definitions.ShortSha}).");
            context.Stop(
                RunOutcome.Refused,
                Conditions.CommitRefused,
                $"Refused commit {Short(job.Commit)} ({job.Trigger.ToString().ToLowerInvariant()} job): it is not on {environment.Branch}; nothing was observed or written. " +
                $"Only commits merged into {environment.Branch} are applied: merge it through a reviewed pull request.");
            return;
        }

        var lastApplied = context.State.LastApplied?.Sha;
        if (job.Trigger == RunTrigger.Rollback && job.Commit is not null)
        {
            context.Commit = await source.ResolveAsync(job.Repository, environment.Branch, job.Commit, cancellationToken).ConfigureAwait(false);
            context.RollbackTip = tip.Sha;
            return;
        }

        if (context.State.RolledBackTo is { } hold && await ApplyHoldAsync(context, environment, tip, hold, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (job.Commit is not null && lastApplied is not null
            && !string.Equals(job.Commit, lastApplied, StringComparison.OrdinalIgnoreCase)
            && await source.IsAncestorAsync(job.Repository, job.Commit, lastApplied, cancellationToken).ConfigureAwait(false))
        {
            context.Commit = await source.ResolveAsync(job.Repository, environment.Branch, job.Commit, cancellationToken).ConfigureAwait(false);
            context.Stop(RunOutcome.Superseded, $"Commit {context.Commit.ShortSha} is older than the applied commit {context.State.LastApplied!.ShortSha}; nothing to do.");
            return;
        }

        // The branch has moved on since the job was made: reconcile the tip, which includes the job's commit.
        if (job.Commit is not null && !string.Equals(tip.Sha, job.Commit, StringComparison.OrdinalIgnoreCase))
        {
            // A burst is under way and the environment was just applied: let the branch settle, and the job of a later
            // push (or this one, when it comes back) applies the tip once, instead of one apply per run slot.
            var sinceApplied = _time.GetUtcNow() - (context.State.LastAppliedAt ?? DateTimeOffset.MinValue);
            if (job.Trigger == RunTrigger.Push && _options.BurstSettleWindow > TimeSpan.Zero && sinceApplied >= TimeSpan.Zero && sinceApplied < _options.BurstSettleWindow)
            {
                context.DeferBy = _options.BurstSettleWindow - sinceApplied;
                return;
            }

            context.Warnings.Add($"Commit {Short(job.Commit)} was superseded by the branch tip {tip.ShortSha}, which this run applies.");
        }

        context.Commit = tip;
    }

    // A commit no fetch can find is not on the branch either: only failures that retrying can fix (network) end the
    // run as failed instead of refused.
    private async Task<bool> IsOnBranchAsync(RunContext context, string commit, CommitInfo tip, CancellationToken cancellationToken)
    {
        if (string.Equals(commit, tip.Sha, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            return await source.IsAncestorAsync(context.Job.Repository, commit, tip.Sha, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigSourceException error) when (!error.IsTransient)
        {
            context.Errors.Add(error.Message);
            return false;
        }
    }

    // A rollback holds until the branch moves: while the tip is the one seen at rollback time, runs without a commit
    // reconcile the held commit and pushes of commits already on the branch are superseded (so neither the drift
    // timer nor a redelivered webhook undoes the rollback). Returns true when the hold decided the run's commit.
    private async Task<bool> ApplyHoldAsync(RunContext context, EnvironmentDefinition environment, CommitInfo tip, RollbackHold hold, CancellationToken cancellationToken)
    {
        var job = context.Job;
        if (!string.Equals(tip.Sha, hold.BranchTipAtRollback, StringComparison.OrdinalIgnoreCase))
        {
            context.ChangeHold(null);
            context.Warnings.Add($"A new commit ({tip.ShortSha}) arrived on {environment.Branch}: the rollback to {hold.Commit.ShortSha} no longer holds.");
            return false;
        }

        if (job.Commit is not null)
        {
            context.Commit = string.Equals(job.Commit, tip.Sha, StringComparison.OrdinalIgnoreCase) ? tip : await source.ResolveAsync(job.Repository, environment.Branch, job.Commit, cancellationToken).ConfigureAwait(false);
            context.Stop(RunOutcome.Superseded, $"Held at {hold.Commit.ShortSha} by a rollback ({hold.By ?? "unknown"}, {hold.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC) until a new commit arrives on {environment.Branch}; nothing to do.");
            return true;
        }

        context.Commit = hold.Commit;
        context.Warnings.Add($"Reconciling {hold.Commit.ShortSha}, held by a rollback, instead of the branch tip {tip.ShortSha}. Push a new commit (such as a git revert) to end the hold.");
        return true;
    }

    // The definitions commit is recorded before reading, so a refused gitops.yaml (a symlink, too large) still says
    // which commit it came from.
    private async Task<EnvironmentDefinition?> ReadEnvironmentAsync(RunContext context, CommitInfo definitions, CancellationToken cancellationToken)
    {
        context.Commit = definitions;
        context.DefinitionsCommit = definitions;
        var root = await source.ReadAsync(context.Job.Repository, definitions.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        var config = new ManifestLoader(_options.Limits).LoadConfig(root);
        var environment = config.HasErrors ? null : config.Find(context.Job.Environment);
        if (config.HasErrors || environment is null)
        {
            context.Errors.AddRange(config.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            if (!config.HasErrors)
            {
                context.Errors.Add($"{ManifestLoader.ConfigFileName}: no environment '{context.Job.Environment}' on the default branch at {definitions.ShortSha}.");
            }

            context.Stop(RunOutcome.Invalid, Conditions.ValidationFailed, $"{ManifestLoader.ConfigFileName} on the default branch at {definitions.ShortSha} is invalid or lacks environment '{context.Job.Environment}'; fix it in a new commit.");
            return null;
        }

        context.Definitions = root;
        context.Environment = environment;
        return environment;
    }

    // From here on the run is visible: a Running record, and the state claimed for this run. A claim left by an
    // earlier run means that run died part-way (killed, timed out, frozen past its lease): its record says so.
    private async Task ClaimAsync(RunContext context, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await SaveRecordAsync(BuildRecord(context) with { Outcome = RunOutcome.Running, Summary = "Running.", FinishedAt = null }, cancellationToken).ConfigureAwait(false);
        var job = context.Job;
        ActiveRun? interrupted = null;
        var claimed = await states.UpdateAsync(
            job.Repository,
            job.Environment,
            state =>
            {
                interrupted = state.ActiveRun is { } previous && previous.RunId != context.RunId ? previous : null;
                return state with
                {
                    ActiveRun = new ActiveRun(context.RunId, job.JobId, context.StartedAt),
                    PendingJobs = job.Trigger == RunTrigger.Drift ? state.PendingJobs : JobScheduler.Without(state.PendingJobs, job, now),
                };
            },
            _options.StateWriteAttempts,
            known: (context.State, context.ETag),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        (context.State, context.ETag) = claimed!.Value;
        context.Claimed = true;
        if (interrupted is not null)
        {
            await MarkInterruptedAsync(context, interrupted, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task MarkInterruptedAsync(RunContext context, ActiveRun interrupted, CancellationToken cancellationToken)
    {
        var record = await runs.GetAsync(interrupted.RunId, cancellationToken).ConfigureAwait(false);
        if (record is not null && record.Outcome != RunOutcome.Running)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var summary = $"Interrupted: the worker stopped during this run (killed, timed out, or frozen past its lease). Run {context.RunId} took over at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; what this run wrote to Azure is observed again there.";
        var marked = record is null
            ? new RunRecord
            {
                RunId = interrupted.RunId,
                Repository = context.Job.Repository,
                Environment = context.Job.Environment,
                Trigger = RunTrigger.Retry,
                JobId = interrupted.JobId,
                StartedAt = interrupted.StartedAt,
            }
            : record;
        await SaveRecordAsync(marked with { Outcome = RunOutcome.Interrupted, Reason = Conditions.RunInterrupted, Summary = summary, FinishedAt = now }, cancellationToken).ConfigureAwait(false);
        context.Warnings.Add($"The previous run {interrupted.RunId} was interrupted part-way; this run observes and corrects whatever it left.");
    }

    private Task CheckSyncWindow(RunContext context, CancellationToken cancellationToken)
    {
        // A run's later segments continue what its window allowed when it started.
        if (context.Segment is not { Resuming: true })
        {
            SyncWindowGate.Check(context, _time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private async Task LoadManifestsAsync(RunContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        var files = await source.ReadAsync(context.Job.Repository, context.Commit!.Sha, environment.Path, cancellationToken).ConfigureAwait(false);
        var loaded = new ManifestLoader(_options.Limits, _options.ResourceTypes).LoadEnvironment(files, environment);
        if (loaded.HasErrors)
        {
            context.Errors.AddRange(loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            context.Stop(RunOutcome.Invalid, Conditions.ValidationFailed, $"The manifests at {context.Commit.ShortSha} have {context.Errors.Count} error(s); nothing was applied. Fix them in a new commit.");
            return;
        }

        context.Files = files;
        context.Resources = loaded.Resources;
    }

    // Before observing: a denied commit costs no ARM call and writes nothing. Rules are trust configuration, read from
    // the default branch like the environment definitions: a commit on the environment's branch cannot relax them.
    private Task CheckPolicy(RunContext context, CancellationToken cancellationToken)
    {
        var gate = PolicyGate.Check(_options.Limits, context.Definitions!, context.Environment!.Name, context.Resources);
        if (gate.FileErrors.Count > 0)
        {
            context.Errors.AddRange(gate.FileErrors);
            context.Stop(RunOutcome.Invalid, Conditions.ValidationFailed, $"{PolicySet.FileName} on the default branch at {context.DefinitionsCommit!.ShortSha} has {gate.FileErrors.Count} error(s); nothing was applied. Fix it in a new commit.");
            return Task.CompletedTask;
        }

        context.Warnings.AddRange(gate.Warnings.Select(v => v.ToString()));
        if (gate.Denied.Count > 0)
        {
            context.Errors.AddRange(gate.Denied.Select(v => v.ToString()));
            context.Stop(RunOutcome.PolicyDenied, Conditions.PolicyDenied, $"{gate.Denied.Count} policy violation(s) at {context.Commit!.ShortSha} ({gate.DeniedRules}); nothing was observed or written. Fix the manifests or the rules in a new commit.");
        }

        return Task.CompletedTask;
    }

    // Before observing: only version ids enter the declarations (in the placeholders, hence the digest), so a rotated
    // secret plans an update and an unchanged one plans nothing; values stay in the run's memory until the PUT.
    private async Task ResolveSecretsAsync(RunContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.Secrets = await SecretPins.ResolveAsync(context.Resources, secrets, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretResolutionException error)
        {
            context.Errors.Add(error.Message);
            context.Stop(RunOutcome.Failed, Conditions.SecretResolutionFailed, $"Could not read the secret {error.SecretUrl}; nothing was written.", error.IsTransient);
            return;
        }

        context.Resources = SecretPins.Pin(context.Resources, context.Secrets);
    }

    private async Task ObserveAsync(RunContext context, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject> live;
        try
        {
            live = await ObserveWithinBudgetAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (ObservationException error)
        {
            // Kept for the disposition: ReconcileAsync records the failure itself.
            context.ObserveRetryAfter = error.RetryAfter;
            throw;
        }

        context.Live = SecretPins.HideLive(live, context.Resources);
    }

    private Task ObserveHealth(RunContext context, CancellationToken cancellationToken)
    {
        HealthOutcome.Observe(context);
        return Task.CompletedTask;
    }

    private Task PlanAsync(RunContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        // Detect mode is "no self-heal": the drift timer reports differences, while a push, a manual sync or a
        // rollback still applies git (as Argo CD's automated sync without selfHeal does).
        var detectOnly = IsDetectOnly(context);
        context.Plan = Planner.Plan(new PlanInput
        {
            Environment = environment.Name,
            Desired = context.Resources,
            Live = context.Live!,
            Planned = context.Segment?.KnownChanges(),
            Inventory = context.PlanInventory,
            Options = new PlanOptions
            {
                DriftMode = detectOnly ? DriftMode.Detect : DriftMode.Correct,
                Prune = environment.Prune,
            },
        });

        var summary = context.Plan.Summary;
        if (context.Suspension is { } suspension)
        {
            context.Stop(RunOutcome.Suspended, Conditions.SuspendedByUser, $"Suspended by {suspension.By}: {suspension.Reason}. {summary.Drift} difference(s) observed; nothing was written.");
        }
        else if (detectOnly)
        {
            context.Stop(
                summary.HasChanges ? RunOutcome.DriftDetected : RunOutcome.NoChanges,
                summary.HasChanges ? Conditions.DriftDetected : Conditions.ReconciliationSucceeded,
                summary.HasChanges ? $"Drift detected in {summary.Drift} resource(s); {(context.DriftHeldByWindow is { } window ? $"the sync window is {window}" : "drift mode is detect")}, so nothing was written." : "Azure matches git.");
        }

        return Task.CompletedTask;
    }

    private async Task ApplyAsync(RunContext context, CancellationToken cancellationToken)
    {
        var plan = context.Plan!;
        context.Applied = await ApplyWithinBudgetAsync(context, plan, cancellationToken).ConfigureAwait(false);
        if (context.Segment?.Ended == true)
        {
            return;
        }

        if (context.ScopedInventory is not null)
        {
            // The apply computed the entries of the observed resources only; every other entry stays as it was.
            context.Applied = context.Applied with { Inventory = ScopedInventory.Merge(context.State.Inventory, context.ScopedInventory, context.Resources, context.Applied.Inventory) };
        }

        var applied = context.Applied;
        if (HealthOutcome.Unhealthy(context) is { } unhealthy)
        {
            context.Stop(RunOutcome.Unhealthy, Conditions.HealthCheckFailed, unhealthy);
        }
        else if (!applied.Succeeded)
        {
            var failed = applied.Results.Count(r => r.Outcome != ResourceOutcome.Succeeded);
            context.Stop(RunOutcome.Failed, Conditions.ReconciliationFailed, $"{failed} of {applied.Results.Count} change(s) did not apply; see the results.", applied.OnlyTransientFailures);
        }
        else if (applied.Writes > 0)
        {
            context.Stop(RunOutcome.Applied, Conditions.ReconciliationSucceeded, $"Applied {context.Commit!.ShortSha}: {applied.Writes} write(s).");
        }
        else
        {
            context.Stop(
                plan.Summary.Drift > 0 ? RunOutcome.DriftDetected : RunOutcome.NoChanges,
                plan.Summary.Drift > 0 ? Conditions.DriftDetected : Conditions.ReconciliationSucceeded,
                plan.Summary.Drift > 0 ? $"{plan.Summary.Drift} observed resource(s) differ from git (not written)." : "Azure matches git.");
        }
    }

    private RunRecord BuildRecord(RunContext context)
    {
        var (results, resultCounts) = RunRecordCompaction.Results(context.Applied?.Results ?? []);
        var written = (context.Applied?.Results ?? []).Where(r => r.Health is not null).Select(r => r.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (health, healthCounts) = RunRecordCompaction.Health(HealthOutcome.Of(context), written);
        var segment = context.Segment;
        return new()
        {
            RunId = context.RunId,
            Repository = context.Job.Repository,
            Environment = context.Job.Environment,
            Trigger = context.Job.Trigger,
            JobId = context.Job.JobId,
            DeliveryId = context.Job.DeliveryId,
            RequestedBy = context.Job.RequestedBy,
            Attempt = context.Attempt,
            RequestedCommit = context.Job.Commit,
            Commit = context.Commit,
            StartedAt = context.StartedAt,
            FinishedAt = context.FinishedAt ?? _time.GetUtcNow(),
            Outcome = context.Outcome ?? RunOutcome.Failed,
            Reason = context.Reason,
            Summary = context.Summary ?? "The run ended without an outcome.",
            Plan = context.Plan is null ? null : RecordedPlan.ForRecord(context.Plan),
            Results = results,
            ResultCounts = resultCounts,
            Errors = context.Errors,
            Warnings = context.Warnings.Distinct(StringComparer.Ordinal).ToList(),
            Transient = context.Transient,
            Window = context.Window,
            Health = health,
            HealthCounts = healthCounts,
            Segments = segment?.RecordSegments(segment.End ?? (context.Outcome is null ? RunSegmentEnd.Running : RunSegmentEnd.Finished), segment.Describe(Declared(context))),
            FullPlan = context.FullPlan,
            Scope = context.RecordedScope,
            ChangedBy = context.ChangedBy,
        };
    }

    // The final record, then the state, on every path. The record is retried (storage may be failing); when it still
    // cannot be written the state is left alone and the job is kept, so the next delivery runs again and its record
    // (with the Running one marked interrupted) is the history. The state write is fenced by the run's claim.
    private async Task RecordAsync(RunContext context, CancellationToken cancellationToken)
    {
        context.FinishedAt = _time.GetUtcNow();

        // A rollback holds once something of it has been applied; a run that met a new branch tip ends the hold.
        if (context.RollbackTip is { } rollbackTip && context.Applied is not null)
        {
            context.ChangeHold(new RollbackHold(context.Commit!, rollbackTip, context.Job.RequestedBy, context.FinishedAt.Value));
        }

        OutOfBandAttribution.Attach(context);

        // The index learns of added ids before the state holds them (see ResourceIndexSync).
        var inventoryBefore = context.State.Inventory;
        var inventoryAfter = context.Applied?.Inventory ?? inventoryBefore;
        bool? indexed = index is null ? null : await ResourceIndexSync.AddAsync(index, context, inventoryBefore, inventoryAfter, cancellationToken).ConfigureAwait(false);

        await KeepFullPlanAsync(context, cancellationToken).ConfigureAwait(false);
        var run = BuildRecord(context);
        try
        {
            await SaveRecordAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (IsStorageFailure(error))
        {
            context.RecordFailed = true;
            return;
        }

        bool written;
        try
        {
            written = await WriteStateAsync(context, run, indexed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (IsStorageFailure(error))
        {
            context.RecordFailed = true;
            return;
        }

        if (index is not null && written)
        {
            await ResourceIndexSync.RemoveAsync(index, context, inventoryBefore, inventoryAfter, cancellationToken).ConfigureAwait(false);
        }

        await FinishCheckpointAsync(context).ConfigureAwait(false);
    }

    // A narrowed run (events named a few resources) observes and plans only what the scope selects; the whole
    // environment was loaded, validated and policy-checked before, and its secrets are resolved for the selection only.
    // When the branch has moved past the last applied commit the environment needs a full run anyway (and a partial
    // apply of a new commit could break its dependency order), so the scope is dropped.
    private Task SelectScope(RunContext context, CancellationToken cancellationToken)
    {
        if (context.Scope is not { } scope)
        {
            return Task.CompletedTask;
        }

        if (context.State.LastApplied is not { } applied || !string.Equals(applied.Sha, context.Commit!.Sha, StringComparison.OrdinalIgnoreCase))
        {
            // The scope's changes still name who made them (OutOfBandAttribution); only the narrowing is dropped.
            context.Warnings.Add($"{scope.Changes.Count} out-of-band change(s) were reported, but {context.Commit!.ShortSha} is not the last applied commit ({context.State.LastApplied?.ShortSha ?? "none"}), so this drift run covers the whole environment.");
            return Task.CompletedTask;
        }

        var (selected, record) = ObservationScope.Select(context.Resources, scope);
        context.RecordedScope = record;
        context.ScopedInventory = ScopedInventory.Restrict(context.State.Inventory, selected);
        context.Resources = selected;
        if (record.NotDeclaredCount > 0)
        {
            context.Warnings.Add($"{record.NotDeclaredCount} changed resource(s) are not declared in this environment at {context.Commit.ShortSha}; they were not looked at.");
        }

        return Task.CompletedTask;
    }

    // True when the state was written (false: a later run had taken over and this one was fenced out).
    private async Task<bool> WriteStateAsync(RunContext context, RunRecord run, bool? indexed, CancellationToken cancellationToken)
    {
        EnvironmentState? fencedBy = null;
        await states.UpdateAsync(
            context.Job.Repository,
            context.Job.Environment,
            current =>
            {
                // Fenced: a run that claimed the state writes only while its claim stands (a later run replaces it when
                // this worker lost the lease); a run stopped before claiming writes only when no later run has claimed.
                // A conflict (an api suspend, a scheduler mark) merges this run into the newer state.
                var fenced = context.Claimed
                    ? current.ActiveRun?.RunId != context.RunId
                    : current.ActiveRun is { } active && active.StartedAt > context.StartedAt;
                fencedBy = fenced ? current : null;
                if (fenced)
                {
                    return null;
                }

                var next = EnvironmentStateUpdate.After(current, run, context.Applied, context.Plan);
                next = context.HoldChanged ? next with { RolledBackTo = context.Hold } : next;
                next = context.Environment is { } declared ? next with { SyncWindows = declared.SyncWindows } : next;
                next = indexed is { } ok ? next with { ResourceIndexedAt = ok ? context.FinishedAt : null } : next;
                return context.Claimed ? next with { ActiveRun = null } : next;
            },
            _options.StateWriteAttempts,
            known: (context.State, context.ETag),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (fencedBy is not null)
        {
            await SaveRecordAsync(run with { Warnings = [.. run.Warnings, $"A later run ({fencedBy.ActiveRun?.RunId ?? fencedBy.LastRunId}) took over the environment while this one ran (its lease was lost), so this run did not write the environment state."] }, cancellationToken).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    // Storage calls are retried a few times with backoff before a run gives up on recording (the job is kept then).
    private Task SaveRecordAsync(RunRecord run, CancellationToken cancellationToken) =>
        RecordWrites.SaveAsync(runs, run, _options, _time, cancellationToken);

    private static bool IsStorageFailure(Exception error) => RecordWrites.IsStorageFailure(error);
}
