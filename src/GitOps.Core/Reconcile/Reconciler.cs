using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Reconciles one environment at one commit: the loop of ARCHITECTURE.md with Flux's fixed shape. It takes the
/// environment's lease, runs an ordered list of steps that stops at the first one that ends the run, and — on every
/// path, in <c>finally</c> — writes the run record and the environment state, then releases the lease.
/// </summary>
/// <remarks>
/// Idempotent: a redelivered job for an applied commit plans no change and writes nothing to ARM. A push job whose
/// commit the branch has moved past reconciles the branch tip instead (a burst of pushes collapses into a few
/// applies); a job for a commit older than the applied one is recorded as superseded.
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
public sealed class Reconciler(
    IConfigSource source,
    IArmResourceClient arm,
    IRunStore runs,
    IEnvironmentStateStore states,
    IEnvironmentLock locks,
    IJobQueue queue,
    ReconcilerOptions? options = null,
    TimeProvider? timeProvider = null,
    ISecretResolver? secrets = null)
{
    private readonly ReconcilerOptions _options = options ?? ReconcilerOptions.Default;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    private delegate Task Step(RunContext context, CancellationToken cancellationToken);

    /// <summary>Runs one job. Never throws for a run's own failures: they are recorded and reflected in the disposition.</summary>
    /// <param name="job">The job.</param>
    /// <param name="attempt">The queue's dequeue count (1 = first delivery).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<ReconcileResult> ReconcileAsync(ReconcileJob job, int attempt = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
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
            var context = new RunContext(job, attempt, RunIds.New(now), now, stored?.State ?? EnvironmentState.New(job.Repository, job.Environment));
            try
            {
                Step[] steps = [ResolveCommitAsync, LoadManifestsAsync, CheckPolicy, ResolveSecretsAsync, ObserveAsync, PlanAsync, ApplyAsync];
                foreach (var step in steps)
                {
                    await step(context, linked.Token).ConfigureAwait(false);
                    if (context.Outcome is not null || context.DeferBy is not null)
                    {
                        break;
                    }
                }
            }
            catch (ConfigSourceException error)
            {
                context.Errors.Add(error.Message);
                context.Stop(RunOutcome.Failed, $"Could not read the config repository: {error.Message}", error.IsTransient);
            }
            catch (ObservationException error)
            {
                context.Errors.Add(error.Message);
                context.Stop(RunOutcome.Failed, "Could not read live state from Azure; nothing was written.", error.IsTransient);
            }
            catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                context.Errors.Add("The environment lease could not be renewed; the run stopped so that another worker can take over.");
                context.Stop(RunOutcome.Failed, "Stopped: lost the environment lease.", transient: true);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Errors.Add("The worker is shutting down; the job will be delivered again.");
                context.Stop(RunOutcome.Failed, "Stopped: the worker is shutting down.", transient: true);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Unknown failures are retried: the queue's dequeue limit turns a persistent one into a poisoned job.
                context.Errors.Add($"{error.GetType().Name}: {error.Message}");
                context.Stop(RunOutcome.Failed, $"Unexpected error: {error.Message}", transient: true);
            }
            finally
            {
                // The record and state are written even when the caller is shutting down; a deferred job has neither.
                if (context.DeferBy is null)
                {
                    await RecordAsync(context, stored?.ETag, CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (context.DeferBy is { } settle)
            {
                await queue.EnqueueAsync(job, settle, cancellationToken).ConfigureAwait(false);
                return new ReconcileResult(JobDisposition.Deferred, null);
            }

            var run = BuildRecord(context);
            return new ReconcileResult(run.Transient ? JobDisposition.Retry : JobDisposition.Complete, run);
        }
    }

    private TimeSpan LeaseBusyDelay()
    {
        var jitter = Math.Clamp(_options.LeaseBusyJitter, 0, 1);
        return _options.LeaseBusyDelay * (1 + (jitter * ((Random.Shared.NextDouble() * 2) - 1)));
    }

    private async Task ResolveCommitAsync(RunContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var lastApplied = context.State.LastApplied?.Sha;

        // Which branch? The environment's, as declared at the job's commit (or at the default branch for tip jobs).
        var reference = await source.ResolveAsync(job.Repository, branch: null, job.Commit, cancellationToken).ConfigureAwait(false);
        var environment = await ReadEnvironmentAsync(context, reference, cancellationToken).ConfigureAwait(false);
        if (environment is null)
        {
            return;
        }

        if (job.Trigger == RunTrigger.Rollback && job.Commit is not null)
        {
            context.Commit = reference;
            context.RollbackTip = (await source.ResolveAsync(job.Repository, environment.Branch, commit: null, cancellationToken).ConfigureAwait(false)).Sha;
            return;
        }

        if (context.State.RolledBackTo is { } hold && await ApplyHoldAsync(context, environment, reference, hold, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (job.Commit is not null && lastApplied is not null
            && !string.Equals(job.Commit, lastApplied, StringComparison.OrdinalIgnoreCase)
            && await source.IsAncestorAsync(job.Repository, job.Commit, lastApplied, cancellationToken).ConfigureAwait(false))
        {
            context.Commit = reference;
            context.Stop(RunOutcome.Superseded, $"Commit {reference.ShortSha} is older than the applied commit {context.State.LastApplied!.ShortSha}; nothing to do.");
            return;
        }

        var tip = await source.ResolveAsync(job.Repository, environment.Branch, commit: null, cancellationToken).ConfigureAwait(false);
        if (string.Equals(tip.Sha, reference.Sha, StringComparison.OrdinalIgnoreCase))
        {
            context.Commit = reference;
            return;
        }

        // The branch has moved on since the job was made: reconcile the tip, which includes the job's commit.
        if (job.Commit is not null)
        {
            // A burst is under way and the environment was just applied: let the branch settle, and the job of a later
            // push (or this one, when it comes back) applies the tip once, instead of one apply per run slot.
            var sinceApplied = _time.GetUtcNow() - (context.State.LastAppliedAt ?? DateTimeOffset.MinValue);
            if (job.Trigger == RunTrigger.Push && _options.BurstSettleWindow > TimeSpan.Zero && sinceApplied >= TimeSpan.Zero && sinceApplied < _options.BurstSettleWindow)
            {
                context.DeferBy = _options.BurstSettleWindow - sinceApplied;
                return;
            }

            context.Errors.Add($"Commit {reference.ShortSha} was superseded by the branch tip {tip.ShortSha}, which this run applies.");
        }

        context.Commit = tip;
        context.Environment = null;
        await ReadEnvironmentAsync(context, tip, cancellationToken).ConfigureAwait(false);
    }

    // A rollback holds until the branch moves: while the tip is the one seen at rollback time, runs without a commit
    // reconcile the held commit and pushes of commits already on the branch are superseded (so neither the drift
    // timer nor a redelivered webhook undoes the rollback). Returns true when the hold decided the run's commit.
    private async Task<bool> ApplyHoldAsync(RunContext context, EnvironmentDefinition environment, CommitInfo reference, RollbackHold hold, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var tip = await source.ResolveAsync(job.Repository, environment.Branch, commit: null, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(tip.Sha, hold.BranchTipAtRollback, StringComparison.OrdinalIgnoreCase))
        {
            context.ChangeHold(null);
            context.Warnings.Add($"A new commit ({tip.ShortSha}) arrived on {environment.Branch}: the rollback to {hold.Commit.ShortSha} no longer holds.");
            return false;
        }

        if (job.Commit is not null)
        {
            context.Commit = reference;
            context.Stop(RunOutcome.Superseded, $"Held at {hold.Commit.ShortSha} by a rollback ({hold.By ?? "unknown"}, {hold.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC) until a new commit arrives on {environment.Branch}; nothing to do.");
            return true;
        }

        context.Commit = hold.Commit;
        context.Environment = null;
        context.Warnings.Add($"Reconciling {hold.Commit.ShortSha}, held by a rollback, instead of the branch tip {tip.ShortSha}. Push a new commit (such as a git revert) to end the hold.");
        await ReadEnvironmentAsync(context, hold.Commit, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<EnvironmentDefinition?> ReadEnvironmentAsync(RunContext context, CommitInfo commit, CancellationToken cancellationToken)
    {
        var root = await source.ReadAsync(context.Job.Repository, commit.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        var config = new ManifestLoader(_options.Limits).LoadConfig(root);
        var environment = config.HasErrors ? null : config.Find(context.Job.Environment);
        if (config.HasErrors || environment is null)
        {
            context.Commit = commit;
            context.Errors.AddRange(config.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            if (!config.HasErrors)
            {
                context.Errors.Add($"{ManifestLoader.ConfigFileName}: no environment '{context.Job.Environment}' at commit {commit.ShortSha}.");
            }

            context.Stop(RunOutcome.Invalid, $"{ManifestLoader.ConfigFileName} at {commit.ShortSha} is invalid or lacks environment '{context.Job.Environment}'; fix it in a new commit.");
            return null;
        }

        context.Environment = environment;
        return environment;
    }

    private async Task LoadManifestsAsync(RunContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        var files = await source.ReadAsync(context.Job.Repository, context.Commit!.Sha, environment.Path, cancellationToken).ConfigureAwait(false);
        var loaded = new ManifestLoader(_options.Limits).LoadEnvironment(files, environment);
        if (loaded.HasErrors)
        {
            context.Errors.AddRange(loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            context.Stop(RunOutcome.Invalid, $"The manifests at {context.Commit.ShortSha} have {context.Errors.Count} error(s); nothing was applied. Fix them in a new commit.");
            return;
        }

        context.Files = files;
        context.Resources = loaded.Resources;
    }

    // Before observing: a denied commit costs no ARM call and writes nothing. Rules are read at the same commit as the
    // manifests, so changing a rule is itself a reviewed commit.
    private Task CheckPolicy(RunContext context, CancellationToken cancellationToken)
    {
        var policy = new ManifestLoader(_options.Limits).LoadPolicy(context.Files!);
        if (policy.HasErrors)
        {
            var errors = policy.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
            context.Errors.AddRange(errors);
            context.Stop(RunOutcome.Invalid, $"{PolicySet.FileName} at {context.Commit!.ShortSha} has {errors.Count} error(s); nothing was applied. Fix it in a new commit.");
            return Task.CompletedTask;
        }

        var violations = PolicyEvaluator.Evaluate(policy.Policy, context.Environment!.Name, context.Resources);
        context.Warnings.AddRange(violations.Where(v => !v.IsDenied).Select(v => v.ToString()));
        var denied = violations.Where(v => v.IsDenied).ToList();
        if (denied.Count > 0)
        {
            context.Errors.AddRange(denied.Select(v => v.ToString()));
            var rules = string.Join(", ", denied.Select(v => v.Rule.Name).Distinct(StringComparer.Ordinal));
            context.Stop(RunOutcome.PolicyDenied, $"{denied.Count} policy violation(s) at {context.Commit!.ShortSha} ({rules}); nothing was observed or written. Fix the manifests or the rules in a new commit.");
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
            context.Stop(RunOutcome.Failed, $"Could not read the secret {error.SecretUrl}; nothing was written.", error.IsTransient);
            return;
        }

        context.Resources = SecretPins.Pin(context.Resources, context.Secrets);
    }

    private async Task ObserveAsync(RunContext context, CancellationToken cancellationToken)
    {
        var live = await new LiveStateObserver(arm, _options.Apply).ObserveAsync(context.Resources, cancellationToken).ConfigureAwait(false);
        context.Live = SecretPins.HideLive(live, context.Resources);
    }

    private Task PlanAsync(RunContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!;
        // Detect mode is "no self-heal": the drift timer reports differences, while a push, a manual sync or a
        // rollback still applies git (as Argo CD's automated sync without selfHeal does).
        var detectOnly = (environment.DriftMode == DriftMode.Detect && context.Job.Trigger == RunTrigger.Drift) || context.Suspension is not null;
        context.Plan = Planner.Plan(new PlanInput
        {
            Environment = environment.Name,
            Desired = context.Resources,
            Live = context.Live!,
            Inventory = context.State.Inventory,
            Options = new PlanOptions
            {
                DriftMode = detectOnly ? DriftMode.Detect : DriftMode.Correct,
                Prune = environment.Prune,
            },
        });

        var summary = context.Plan.Summary;
        if (context.Suspension is { } suspension)
        {
            context.Stop(RunOutcome.Suspended, $"Suspended by {suspension.By}: {suspension.Reason}. {summary.Drift} difference(s) observed; nothing was written.");
        }
        else if (detectOnly)
        {
            context.Stop(
                summary.HasChanges ? RunOutcome.DriftDetected : RunOutcome.NoChanges,
                summary.HasChanges ? $"Drift detected in {summary.Drift} resource(s); drift mode is detect, so nothing was written." : "Azure matches git.");
        }

        return Task.CompletedTask;
    }

    private async Task ApplyAsync(RunContext context, CancellationToken cancellationToken)
    {
        var plan = context.Plan!;
        context.Applied = await new Applier(arm, _options.Apply, _time, SecretPins.Serve(context.Secrets)).ApplyAsync(plan, context.State.Inventory, context.Live, cancellationToken).ConfigureAwait(false);
        var applied = context.Applied;
        if (!applied.Succeeded)
        {
            var failed = applied.Results.Count(r => r.Outcome != ResourceOutcome.Succeeded);
            context.Stop(RunOutcome.Failed, $"{failed} of {applied.Results.Count} change(s) did not apply; see the results.", applied.OnlyTransientFailures);
        }
        else if (applied.Writes > 0)
        {
            context.Stop(RunOutcome.Applied, $"Applied {context.Commit!.ShortSha}: {applied.Writes} write(s).");
        }
        else
        {
            context.Stop(
                plan.Summary.Drift > 0 ? RunOutcome.DriftDetected : RunOutcome.NoChanges,
                plan.Summary.Drift > 0 ? $"{plan.Summary.Drift} observed resource(s) differ from git (not written)." : "Azure matches git.");
        }
    }

    private RunRecord BuildRecord(RunContext context) => new()
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
        Summary = context.Summary ?? "The run ended without an outcome.",
        Plan = context.Plan is null ? null : PlanJson.ToJson(context.Plan),
        Results = context.Applied?.Results ?? [],
        Errors = context.Errors,
        Warnings = context.Warnings,
        Transient = context.Transient,
    };

    private async Task RecordAsync(RunContext context, string? etag, CancellationToken cancellationToken)
    {
        context.FinishedAt = _time.GetUtcNow();
        var run = BuildRecord(context);
        await runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);

        // A rollback holds once something of it has been applied; a run that met a new branch tip ends the hold.
        if (context.RollbackTip is { } rollbackTip && context.Applied is not null)
        {
            context.ChangeHold(new RollbackHold(context.Commit!, rollbackTip, context.Job.RequestedBy, context.FinishedAt.Value));
        }

        var baseState = context.State;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var next = EnvironmentStateUpdate.After(baseState, run, context.Applied);
                next = context.HoldChanged ? next with { RolledBackTo = context.Hold } : next;
                await states.SaveAsync(next, etag, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < _options.StateWriteAttempts)
            {
                // An api write (suspend/resume) landed meanwhile: merge this run into the newer state.
                var current = await states.GetAsync(context.Job.EnvironmentKey, cancellationToken).ConfigureAwait(false);
                etag = current?.ETag;
                baseState = current?.State ?? baseState;
            }
        }
    }
}
