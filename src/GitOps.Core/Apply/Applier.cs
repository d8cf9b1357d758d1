using System.Diagnostics;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// Applies a plan to ARM. Writes start as soon as their dependencies are done (with bounded parallelism), so one
/// slow resource does not hold back unrelated ones; a failure skips its dependents but not independent resources.
/// Deletes run after all writes, in reverse dependency order. <c>observe</c> and <c>drift</c> changes are never written.
/// </summary>
/// <param name="client">The ARM client.</param>
/// <param name="options">Parallelism.</param>
/// <param name="timeProvider">Clock for durations.</param>
/// <param name="secrets">Reads the Key Vault secrets of <see cref="DeclaredResource.SecretReferences"/> just before each PUT; null fails such writes.</param>
/// <param name="journal">Gates and records each write (a run working within a time budget); null sends every write.</param>
public sealed class Applier(IArmResourceClient client, ApplyOptions? options = null, TimeProvider? timeProvider = null, ISecretResolver? secrets = null, IApplyJournal? journal = null)
{
    /// <summary>The error code recorded on a change skipped because a dependency did not succeed.</summary>
    public const string DependencyFailedCode = "DependencyFailed";

    /// <summary>The error code recorded on a change skipped because a dependency was written but did not become healthy.</summary>
    public const string DependencyUnhealthyCode = "DependencyUnhealthy";

    /// <summary>The error code recorded on a change the cancelled run did not start (skipped) or did not see finish (failed).</summary>
    public const string CancelledCode = "Cancelled";

    /// <summary>
    /// The error code of a change the journal did not admit (the run's time budget for this segment is spent): nothing
    /// was sent; a later segment of the run writes it. Its dependents are deferred too.
    /// </summary>
    public const string DeferredCode = "Deferred";

    /// <summary>The error code recorded on a write whose Key Vault secret could not be read (nothing was sent).</summary>
    public const string SecretUnavailableCode = "SecretUnavailable";

    private readonly ApplyOptions _options = options ?? ApplyOptions.Default;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Applies the plan and computes the inventory to keep.</summary>
    /// <param name="plan">The plan (from <see cref="Planner.Plan"/>).</param>
    /// <param name="previous">The inventory the plan was made against.</param>
    /// <param name="cancellationToken">Stops the run (see the overload with live state).</param>
    public Task<ApplyResult> ApplyAsync(PlanResult plan, ResourceInventory previous, CancellationToken cancellationToken = default) =>
        ApplyAsync(plan, previous, live: null, cancellationToken);

    /// <summary>
    /// Applies the plan; <paramref name="live"/> (the state the plan was made against) lets updates keep the live
    /// values of <c>reconcile.ignore</c> paths (see <see cref="IgnoredFields"/>).
    /// </summary>
    /// <param name="plan">The plan (from <see cref="Planner.Plan"/>).</param>
    /// <param name="previous">The inventory the plan was made against.</param>
    /// <param name="live">Live bodies by id, or null.</param>
    /// <param name="cancellationToken">
    /// Stops the run: changes not yet started are skipped, and those in progress are recorded as failed (ARM may still
    /// complete them), both with <see cref="CancelledCode"/> and as transient. The result is returned, not thrown, so the
    /// inventory keeps what was applied.
    /// </param>
    public async Task<ApplyResult> ApplyAsync(PlanResult plan, ResourceInventory previous, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject>? live, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(previous);

        using var gate = new SemaphoreSlim(_options.MaxParallelWrites);
        var writes = plan.Changes.Where(c => c.Action is PlanAction.Create or PlanAction.Update).ToList();
        var writeTasks = Schedule(writes, c => c.DependsOn, c => PutAsync(c, live, gate, cancellationToken), journal);
        await Task.WhenAll(writeTasks.Values).ConfigureAwait(false);

        // Deletes: a resource goes only after everything that depends on it is gone, so dependencies are reversed.
        var deletes = plan.Changes.Where(c => c.Action == PlanAction.Delete).ToList();
        var dependentsOf = deletes
            .SelectMany(d => d.DependsOn.Select(dep => (Dependency: dep, Dependent: d.Id)))
            .ToLookup(p => p.Dependency, p => p.Dependent, StringComparer.OrdinalIgnoreCase);
        var deleteTasks = Schedule(deletes, c => dependentsOf[c.Id], c => DeleteAsync(c, gate, cancellationToken), journal);
        await Task.WhenAll(deleteTasks.Values).ConfigureAwait(false);

        var results = new List<ResourceResult>();
        foreach (var change in plan.Changes)
        {
            if (writeTasks.TryGetValue(change.Id, out var write) && change.Action is PlanAction.Create or PlanAction.Update)
            {
                results.Add(await write.ConfigureAwait(false));
            }
            else if (deleteTasks.TryGetValue(change.Id, out var delete) && change.Action == PlanAction.Delete)
            {
                results.Add(await delete.ConfigureAwait(false));
            }
            else if (change.Action == PlanAction.Detach)
            {
                var detached = new ResourceResult(change.Id, change.Action, ResourceOutcome.Succeeded, Message: change.Reason);
                journal?.Completed(change, detached);
                results.Add(detached);
            }
        }

        return new ApplyResult(results, InventoryUpdate.Compute(previous, plan, results));
    }

    /// <summary>
    /// Starts one task per change; each first awaits the tasks of its dependencies inside the set and is skipped
    /// when any of them did not succeed. Changes are created in dependency order so every awaited task exists.
    /// </summary>
    private static Dictionary<string, Task<ResourceResult>> Schedule(
        IReadOnlyList<ResourceChange> changes,
        Func<ResourceChange, IEnumerable<string>> waitFor,
        Func<ResourceChange, Task<ResourceResult>> run,
        IApplyJournal? journal)
    {
        var tasks = new Dictionary<string, Task<ResourceResult>>(StringComparer.OrdinalIgnoreCase);
        var waves = DependencyGraph.Waves(changes, c => c.Id, waitFor, out _);
        foreach (var change in waves.SelectMany(w => w))
        {
            var prerequisites = waitFor(change)
                .Where(id => tasks.ContainsKey(id))
                .Select(id => tasks[id])
                .ToList();
            tasks[change.Id] = Reported(change, RunAfterAsync(change, prerequisites, run, journal), journal);
        }

        // Validation rejects cycles in git, but inventory entries from different commits could still form one:
        // run such changes without ordering rather than drop them.
        foreach (var change in changes.Where(c => !tasks.ContainsKey(c.Id)))
        {
            tasks[change.Id] = Reported(change, run(change), journal);
        }

        return tasks;
    }

    private static async Task<ResourceResult> Reported(ResourceChange change, Task<ResourceResult> running, IApplyJournal? journal)
    {
        var result = await running.ConfigureAwait(false);
        journal?.Completed(change, result);
        return result;
    }

    private static async Task<ResourceResult> RunAfterAsync(
        ResourceChange change,
        IReadOnlyList<Task<ResourceResult>> prerequisites,
        Func<ResourceChange, Task<ResourceResult>> run,
        IApplyJournal? journal)
    {
        var done = await Task.WhenAll(prerequisites).ConfigureAwait(false);

        // A dependency left for the next segment, or cut off by the run's cancellation, holds its dependents for the
        // same reason: they are not failures of their own, and a later run (or segment) writes them.
        if (done.FirstOrDefault(r => r.ErrorCode is DeferredCode or CancelledCode) is { } held)
        {
            return new ResourceResult(
                change.Id,
                change.Action,
                ResourceOutcome.Skipped,
                held.ErrorCode,
                held.ErrorCode == DeferredCode ? $"Not started: {held.Id} is left for the next segment." : $"Not started: the run was cancelled before {held.Id} was done.")
            {
                Transient = true,
            };
        }

        var blocker = done.FirstOrDefault(r => r.Outcome != ResourceOutcome.Succeeded);
        if (blocker is null && done.FirstOrDefault(r => r.Health == HealthStatus.Unhealthy) is { } unhealthy)
        {
            return new ResourceResult(change.Id, change.Action, ResourceOutcome.Skipped, DependencyUnhealthyCode, $"Skipped: {unhealthy.Id} was written but is not healthy ({unhealthy.HealthDetail}).");
        }

        if (blocker is not null)
        {
            return new ResourceResult(
                change.Id,
                change.Action,
                ResourceOutcome.Skipped,
                DependencyFailedCode,
                $"Skipped: {blocker.Id} was {(blocker.Outcome == ResourceOutcome.Failed ? "not applied (it failed)" : "skipped")}.")
            {
                Transient = blocker.Transient,
            };
        }

        journal?.Ready(change);
        return await run(change).ConfigureAwait(false);
    }

    // Health is waited for after the write slot is released: a slow resource must not hold back other writes.
    private async Task<ResourceResult> PutAsync(
        ResourceChange change,
        IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject>? live,
        SemaphoreSlim gate,
        CancellationToken cancellationToken)
    {
        ArmResource? response = null;
        var written = await GuardedAsync(change, gate, async ct =>
        {
            var desired = change.Desired ?? throw new InvalidOperationException($"Change for {change.Id} has no declaration.");
            var body = desired.Reconcile.Ignore.Count == 0
                ? desired.Body.DeepClone().AsObject()
                : IgnoredFields.Preserve(desired.Body, live?.GetValueOrDefault(change.Id), desired.Reconcile.Ignore);
            await SecretFields.FillAsync(body, desired.SecretReferences, secrets, ct).ConfigureAwait(false);
            response = await client.CreateOrUpdateAsync(change.Id, change.ApiVersion, body, ct).ConfigureAwait(false);
            return response.CorrelationId;
        }, cancellationToken).ConfigureAwait(false);
        return written.Outcome == ResourceOutcome.Succeeded && response is not null
            ? await new HealthChecker(client, _options, _time).AfterWriteAsync(change, response, written, cancellationToken).ConfigureAwait(false)
            : written;
    }

    private Task<ResourceResult> DeleteAsync(ResourceChange change, SemaphoreSlim gate, CancellationToken cancellationToken) =>
        GuardedAsync(change, gate, async ct =>
        {
            await client.DeleteAsync(change.Id, change.ApiVersion, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    private async Task<bool> AdmitAsync(ResourceChange change)
    {
        try
        {
            return await journal!.AdmitAsync(change, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The journal could not record that the write may be sent: unrecorded, it must not be sent.
            return false;
        }
    }

    private async Task<ResourceResult> GuardedAsync(
        ResourceChange change,
        SemaphoreSlim gate,
        Func<CancellationToken, Task<string?>> operation,
        CancellationToken cancellationToken)
    {
        // A cancelled run must still return what it did: throwing would lose the results and the inventory of
        // the writes that completed, and prune could never find what they created.
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new ResourceResult(change.Id, change.Action, ResourceOutcome.Skipped, CancelledCode, "Not started: the run was cancelled.")
            {
                Transient = true,
            };
        }

        // Admitted only with a write slot in hand, just before it is sent: the journal's window then counts writes on the
        // wire, and the time budget stops what has not started.
        if (journal is not null && !await AdmitAsync(change).ConfigureAwait(false))
        {
            gate.Release();
            return new ResourceResult(change.Id, change.Action, ResourceOutcome.Skipped, DeferredCode, "Not started: the run's time budget for this segment is spent; the next segment writes it.")
            {
                Transient = true,
            };
        }

        var started = _time.GetTimestamp();
        try
        {
            var correlationId = await operation(cancellationToken).ConfigureAwait(false);
            return new ResourceResult(change.Id, change.Action, ResourceOutcome.Succeeded, CorrelationId: correlationId, Duration: _time.GetElapsedTime(started));
        }
        catch (ArmRequestException error)
        {
            return new ResourceResult(change.Id, change.Action, ResourceOutcome.Failed, error.Code, error.ArmMessage, error.CorrelationId, _time.GetElapsedTime(started))
            {
                Transient = error.IsTransient,
                RetryAfter = error.IsTransient ? error.AskedWait : null,
            };
        }
        catch (SecretResolutionException error)
        {
            return new ResourceResult(change.Id, change.Action, ResourceOutcome.Failed, SecretUnavailableCode, error.Message, Duration: _time.GetElapsedTime(started))
            {
                Transient = error.IsTransient,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Failed, not skipped: ARM may have accepted the request, so a create is kept in the inventory for prune.
            return new ResourceResult(
                change.Id,
                change.Action,
                ResourceOutcome.Failed,
                CancelledCode,
                "The run was cancelled while this change was in progress; ARM may still complete it, the next run will see.",
                Duration: _time.GetElapsedTime(started))
            {
                Transient = true,
            };
        }
        finally
        {
            gate.Release();
        }
    }
}
