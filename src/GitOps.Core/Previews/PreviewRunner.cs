using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// Runs a <see cref="PreviewJob"/>: a pipeline of its own that reuses the reconciler's load, validate, policy, observe
/// and plan steps and has no apply step at all. It holds only a <see cref="ReadOnlyArmClient"/>, no secret resolver
/// (a <c>keyvault()</c> value is never read: secret fields show as redacted), reads the environment state without
/// writing it, and takes no lease (a preview never blocks a reconcile). Trust as in every run: the environment's
/// definition and the policy rules come from the default branch's tip, never from the pull request; only the manifests
/// of the environment's folder are read at the head.
/// </summary>
/// <param name="source">Reads the config repository.</param>
/// <param name="pullRequests">Fetches pull-request heads.</param>
/// <param name="arm">ARM, wrapped read-only here.</param>
/// <param name="states">Environment states, read for the inventory only.</param>
/// <param name="runs">Keeps the preview's run record.</param>
/// <param name="previews">Keeps the preview for the comment and for the merge's comparison.</param>
/// <param name="options">Limits, catalogue and observation settings (those of the reconciler).</param>
/// <param name="timeProvider">Clock.</param>
public sealed class PreviewRunner(
    IConfigSource source,
    IPullRequestSource pullRequests,
    IArmResourceClient arm,
    IEnvironmentStateStore states,
    IRunStore runs,
    IPreviewStore previews,
    ReconcilerOptions? options = null,
    TimeProvider? timeProvider = null)
{
    private readonly ReconcilerOptions _options = options ?? ReconcilerOptions.Default;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly IArmResourceClient _arm = new ReadOnlyArmClient(arm);

    /// <summary>What a preview's <see cref="ArmCaller.Lane"/> starts with, before the environment key.</summary>
    private const string PreviewLanePrefix = "preview:";

    /// <summary>Previews one environment at the job's head and records it; never throws for the preview's own failures.</summary>
    /// <param name="job">The job.</param>
    /// <param name="attempt">The queue's dequeue count.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    /// <returns>The run (always), the preview (null when the record could not be written), and whether retrying may help.</returns>
    public async Task<PreviewResult> RunAsync(PreviewJob job, int attempt = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);

        // A person waits for a preview, but it must not take a push's turn at the subscription's budget; its own lane
        // keeps it from sharing the turns of the environment's runs.
        using var caller = ArmCallContext.Enter(new ArmCaller(ArmCallPriority.Manual, PreviewLanePrefix + job.EnvironmentKey));
        var started = _time.GetUtcNow();
        var run = new Working(job, RunIds.New(started), started);
        try
        {
            await PreviewAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigSourceException error)
        {
            run.Errors.Add(error.Message);
            run.Stop(RunOutcome.Failed, Conditions.SourceFetchFailed, $"Could not read the config repository: {error.Message}", error.IsTransient);
        }
        catch (ObservationException error)
        {
            run.Errors.Add(error.Message);
            run.Stop(RunOutcome.Failed, Conditions.ObservationFailed, "Could not read live state from Azure; nothing was written.", error.IsTransient);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Errors.Add("The worker is shutting down; the job will be delivered again.");
            run.Stop(RunOutcome.Failed, Conditions.WorkerShutdown, "Stopped: the worker is shutting down.", transient: true);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            run.Errors.Add($"{error.GetType().Name}: {error.Message}");
            run.Stop(RunOutcome.Failed, Conditions.UnexpectedError, $"Unexpected error: {error.Message}", transient: true);
        }

        var record = new RunRecord
        {
            RunId = run.RunId,
            Repository = job.Repository,
            Environment = job.Environment,
            Trigger = RunTrigger.Preview,
            JobId = job.JobId,
            DeliveryId = job.DeliveryId,
            RequestedBy = job.PullRequest.Author,
            Attempt = Math.Max(1, attempt),
            RequestedCommit = job.PullRequest.HeadSha,
            Commit = run.Commit,
            StartedAt = started,
            FinishedAt = _time.GetUtcNow(),
            Outcome = run.Outcome ?? RunOutcome.Failed,
            Reason = run.Reason,
            Summary = run.Summary ?? "The preview ended without an outcome.",
            Plan = run.Plan,
            Errors = run.Errors,
            Warnings = run.Warnings,
            Transient = run.Transient,
            PullRequest = job.PullRequest,
        };

        // A preview superseded by a newer head leaves no trace in the comment or the index: the newer one does.
        var preview = record.Outcome == RunOutcome.Superseded ? null : new PreviewRecord
        {
            Repository = job.Repository,
            Environment = job.Environment,
            PullRequest = job.PullRequest,
            RunId = record.RunId,
            Outcome = record.Outcome,
            State = PreviewRecord.StateOf(record.Outcome),
            PlanHash = run.PlanHash,
            Summary = record.Summary,
            Markdown = PreviewMarkdown.Section(job.Environment, record.Outcome, record.Summary, record.Plan, record.Errors, record.Warnings, record.RunId),
            At = record.FinishedAt!.Value,
        };

        try
        {
            await SaveAsync(record, cancellationToken).ConfigureAwait(false);
            if (preview is not null)
            {
                await previews.SaveAsync(preview, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            return new PreviewResult(record, null, Transient: true, RecordFailed: true);
        }

        return new PreviewResult(record, preview, record.Transient, RecordFailed: false);
    }

    private async Task PreviewAsync(Working run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var definitions = await source.ResolveAsync(job.Repository, branch: null, commit: null, cancellationToken).ConfigureAwait(false);
        var root = await source.ReadAsync(job.Repository, definitions.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        var config = new ManifestLoader(_options.Limits).LoadConfig(root);
        var environment = config.HasErrors ? null : config.Find(job.Environment);
        if (environment is null)
        {
            run.Errors.AddRange(config.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            run.Errors.Add($"{ManifestLoader.ConfigFileName}: no environment '{job.Environment}' on the default branch at {definitions.ShortSha}.");
            run.Stop(RunOutcome.Invalid, Conditions.ValidationFailed, $"{ManifestLoader.ConfigFileName} on the default branch at {definitions.ShortSha} is invalid or lacks environment '{job.Environment}'.");
            return;
        }

        // The definitions decide what a pull request into which branch may preview: a job is only a request.
        if (!string.Equals(environment.Branch, job.PullRequest.TargetBranch, StringComparison.Ordinal))
        {
            run.Stop(
                RunOutcome.Refused,
                Conditions.CommitRefused,
                $"Environment '{environment.Name}' follows {environment.Branch} (gitops.yaml on the default branch at {definitions.ShortSha}), and pull request #{job.PullRequest.Number} targets {job.PullRequest.TargetBranch}: not previewed.");
            return;
        }

        var head = await pullRequests.FetchHeadAsync(job.Repository, job.PullRequest, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            run.Stop(RunOutcome.Superseded, $"Pull request #{job.PullRequest.Number} no longer has head {Short(job.PullRequest.HeadSha)}; the preview of its newer head replaces this one.");
            return;
        }

        run.Commit = head;
        var files = await source.ReadAsync(job.Repository, head.Sha, environment.Path, cancellationToken).ConfigureAwait(false);
        var loaded = new ManifestLoader(_options.Limits, _options.ResourceTypes).LoadEnvironment(files, environment);
        if (loaded.HasErrors)
        {
            run.Errors.AddRange(loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
            run.Stop(RunOutcome.Invalid, Conditions.ValidationFailed, $"The manifests at {head.ShortSha} have {run.Errors.Count} error(s); merging this would be refused as invalid.");
            return;
        }

        var gate = PolicyGate.Check(_options.Limits, root, environment.Name, loaded.Resources);
        if (gate.FileErrors.Count > 0)
        {
            run.Errors.AddRange(gate.FileErrors);
            run.Stop(RunOutcome.Invalid, Conditions.ValidationFailed, $"{PolicySet.FileName} on the default branch at {definitions.ShortSha} is invalid; no change can be previewed until it is fixed.");
            return;
        }

        run.Warnings.AddRange(gate.Warnings.Select(v => v.ToString()));
        if (gate.Denied.Count > 0)
        {
            run.Errors.AddRange(gate.Denied.Select(v => v.ToString()));
            run.Stop(RunOutcome.PolicyDenied, Conditions.PolicyDenied, $"{gate.Denied.Count} policy violation(s) at {head.ShortSha} ({gate.DeniedRules}), by the rules on the default branch; nothing was observed.");
            return;
        }

        // No secret is resolved: each keyvault() field keeps its placeholder, and the live value of that field is hidden
        // behind the same placeholder, so it plans as unchanged and no value is ever read or shown.
        var resources = loaded.Resources;
        var inventory = (await states.GetAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false))?.State.Inventory ?? ResourceInventory.Empty;
        var live = SecretPins.HideLive(await new LiveStateObserver(_arm, _options.Apply).ObserveAsync(resources, inventory, cancellationToken).ConfigureAwait(false), resources);
        var plan = Planner.Plan(new PlanInput
        {
            Environment = environment.Name,
            Desired = resources,
            Live = live,
            Inventory = inventory,
            Options = new PlanOptions { DriftMode = DriftMode.Correct, Prune = environment.Prune },
        });

        var recorded = RecordedPlan.From(plan);
        run.PlanHash = PlanHash.Of(recorded);
        run.Plan = PreviewRedaction.Apply(recorded, inventory);
        if (await ChangesRootConfigAsync(job, definitions, head, cancellationToken).ConfigureAwait(false))
        {
            run.Warnings.Add($"This pull request changes {ManifestLoader.ConfigFileName} or {PolicySet.FileName}: the preview uses the environment definitions and policy rules on the default branch ({definitions.ShortSha}), which stay in force until the change is merged there.");
        }

        var summary = run.Plan.Summary;
        run.Stop(
            plan.Summary.HasChanges ? RunOutcome.Previewed : RunOutcome.NoChanges,
            Conditions.ReconciliationSucceeded,
            plan.Summary.HasChanges
                ? $"Previewed {head.ShortSha}: merging would create {summary.Create}, update {summary.Update}, delete {summary.Delete} and detach {summary.Detach} resource(s); nothing was written."
                : $"Previewed {head.ShortSha}: merging changes nothing in Azure.");
    }

    private async Task<bool> ChangesRootConfigAsync(PreviewJob job, CommitInfo definitions, CommitInfo head, CancellationToken cancellationToken)
    {
        var changed = await pullRequests.ChangedPathsAsync(job.Repository, definitions.Sha, head.Sha, cancellationToken).ConfigureAwait(false);
        return changed.Any(p => ManifestLoader.ConfigurationFileNames.Contains(p, StringComparer.Ordinal));
    }

    private Task SaveAsync(RunRecord record, CancellationToken cancellationToken) =>
        RecordWrites.SaveAsync(runs, record, _options, _time, cancellationToken);

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private sealed class Working(PreviewJob job, string runId, DateTimeOffset startedAt)
    {
        public PreviewJob Job { get; } = job;

        public string RunId { get; } = runId;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public CommitInfo? Commit { get; set; }

        public RecordedPlan? Plan { get; set; }

        public string? PlanHash { get; set; }

        public RunOutcome? Outcome { get; private set; }

        public string? Reason { get; private set; }

        public string? Summary { get; private set; }

        public bool Transient { get; private set; }

        public List<string> Errors { get; } = [];

        public List<string> Warnings { get; } = [];

        public void Stop(RunOutcome outcome, string? reason, string summary, bool transient = false)
        {
            Outcome = outcome;
            Reason = reason;
            Summary = summary;
            Transient = transient;
        }

        public void Stop(RunOutcome outcome, string summary) => Stop(outcome, null, summary);
    }
}

/// <summary>What a preview left behind.</summary>
/// <param name="Run">Its run record.</param>
/// <param name="Preview">What the comment and the merge comparison use; null when superseded or not recorded.</param>
/// <param name="Transient">True when the preview failed for a reason retrying can fix.</param>
/// <param name="RecordFailed">True when the record could not be written (the job is kept).</param>
public sealed record PreviewResult(RunRecord Run, PreviewRecord? Preview, bool Transient, bool RecordFailed);
