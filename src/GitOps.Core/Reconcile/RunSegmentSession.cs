using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// One segment of a run that works within a time budget (docs/architecture.md, "Time budget, checkpoints and
/// segments"): when the budget is spent, and before each window of writes, it writes the run's
/// <see cref="RunCheckpoint"/>; a resumed segment starts from what the checkpoint says was observed, planned and
/// applied. It holds what earlier segments left and what this one adds, and builds the checkpoint from both.
/// </summary>
internal sealed class RunSegmentSession
{
    private readonly object _sync = new();
    private readonly ReconcilerOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, PlannedResource> _planned = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ResourceResult> _results = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, InventoryEntry?> _delta = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _inDoubt = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _digests = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ResourceHealth> _priorHealth = [];
    private readonly List<RunSegment> _priorSegments = [];
    private HashSet<string> _inFlight = new(StringComparer.OrdinalIgnoreCase);

    public RunSegmentSession(IRunCheckpointStore store, ReconcilerOptions options, TimeProvider time, DateTimeOffset segmentStartedAt, int attempt, CancellationToken leaseLost)
    {
        Store = store;
        _options = options;
        _time = time;
        SegmentStartedAt = segmentStartedAt;
        Attempt = attempt;
        LeaseLost = leaseLost;
        Deadline = segmentStartedAt + options.RunBudget;
        HardDeadline = Deadline + options.RunBudgetGrace;
    }

    public IRunCheckpointStore Store { get; }

    public DateTimeOffset SegmentStartedAt { get; }

    /// <summary>When this segment stops starting work.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>When work in flight is cancelled (and left for the next segment to observe again).</summary>
    public DateTimeOffset HardDeadline { get; }

    public int Attempt { get; }

    public CancellationToken LeaseLost { get; }

    /// <summary>The checkpoint as last read or written; null before the run's first checkpoint.</summary>
    public RunCheckpoint? Checkpoint { get; private set; }

    /// <summary>The ETag of <see cref="Checkpoint"/>.</summary>
    public string? ETag { get; private set; }

    /// <summary>True when the run has a checkpoint in storage, so that a segment that stops can be resumed.</summary>
    public bool HasCheckpoint => ETag is not null;

    /// <summary>True when this segment continues a run from its checkpoint.</summary>
    public bool Resuming { get; private set; }

    /// <summary>The ticket this segment runs under (see <see cref="RunCheckpoint.Ticket"/>).</summary>
    public int Ticket { get; private set; } = 1;

    /// <summary>A job of another request that continues this run because its follow-up looks lost; it is queued again afterwards.</summary>
    public ReconcileJob? Takeover { get; private set; }

    /// <summary>How the segment ended when it ends without ending the run; null while it runs or when the run ends in it.</summary>
    public RunSegmentEnd? End { get; private set; }

    /// <summary>Why it stopped (for <see cref="RunSegmentEnd.Stopped"/>).</summary>
    public string? StopReason { get; private set; }

    public bool Ended => End is not null;

    /// <summary>What the reconciler does after the segment (set when it ends without ending the run).</summary>
    public SegmentContinuation? Continuation { get; set; }

    /// <summary>Resources read from ARM in this segment, and of those, writes of an earlier segment read again.</summary>
    public int Observed { get; private set; }

    public int Reobserved { get; private set; }

    /// <summary>ARM writes that ended in this segment.</summary>
    public int Writes { get; private set; }

    /// <summary>How many resources the run has observed and planned so far (earlier segments included).</summary>
    public int PlannedCount
    {
        get
        {
            lock (_sync)
            {
                return _planned.Count;
            }
        }
    }

    public bool DetectOnly => Checkpoint?.DetectOnly == true;

    public bool BudgetSpent => _time.GetUtcNow() >= Deadline;

    /// <summary>Takes a checkpoint found for this run: what it observed, planned and applied.</summary>
    public void Resume(StoredRunCheckpoint stored, int ticket, ReconcileJob? takeover)
    {
        var checkpoint = stored.Checkpoint!;
        Checkpoint = checkpoint;
        ETag = stored.ETag;
        Resuming = true;
        Ticket = ticket;
        Takeover = takeover;
        foreach (var planned in checkpoint.Planned)
        {
            _planned[planned.Id] = planned;
        }

        foreach (var result in checkpoint.Results)
        {
            _results[result.Id] = result;
        }

        foreach (var entry in checkpoint.Written.Entries)
        {
            _delta[entry.Id] = entry;
        }

        foreach (var id in checkpoint.Removed)
        {
            _delta[id] = null;
        }

        // A write that may have been sent without its result being recorded is read again, never trusted.
        foreach (var id in checkpoint.InFlight.Where(id => !_results.ContainsKey(id)))
        {
            _inDoubt.Add(id);
            _planned.Remove(id);
        }

        _priorHealth.AddRange(checkpoint.LiveHealth);
        var last = checkpoint.Segments.Count > 0 ? checkpoint.Segments[^1] : null;
        _priorSegments.AddRange(checkpoint.Segments.Take(checkpoint.Segments.Count - 1));
        if (last is not null)
        {
            // A segment without an end died (killed, timed out): its last checkpoint is where this one starts.
            _priorSegments.Add(last.End == RunSegmentEnd.Running
                ? last with { End = RunSegmentEnd.Interrupted, EndedAt = checkpoint.UpdatedAt, Summary = $"{last.Summary} Interrupted: the worker stopped; the next segment resumed from the checkpoint of {checkpoint.UpdatedAt.UtcDateTime:HH:mm:ss} UTC.".Trim() }
                : last);
        }
    }

    /// <summary>The number of this segment.</summary>
    public int Number => _priorSegments.Count + 1;

    /// <summary>Writes of earlier segments that may have been sent without their result being recorded.</summary>
    public int InDoubtCount => _inDoubt.Count;

    /// <summary>Copies what the run decided in earlier segments onto this segment's context.</summary>
    public void Restore(RunContext context)
    {
        var checkpoint = Checkpoint!;
        context.Window = checkpoint.Window;
        context.DriftHeldByWindow = checkpoint.DriftHeldByWindow;
        context.RollbackTip = checkpoint.RollbackTip;
        if (checkpoint.HoldChanged)
        {
            context.ChangeHold(checkpoint.Hold);
        }

        context.Warnings.AddRange(checkpoint.Warnings);
        if (_results.Count > 0)
        {
            context.Applied = new ApplyResult(_results.Values.ToList(), Inventory(context.State.Inventory));
        }
    }

    /// <summary>The declared resources this segment must read: those not yet observed, those whose declaration changed since, the in-doubt writes, and pending updates that keep ignored live values.</summary>
    public IReadOnlyList<DeclaredResource> ToObserve(IReadOnlyList<DeclaredResource> resources, List<string> warnings)
    {
        var changed = 0;
        var targets = new List<DeclaredResource>();
        lock (_sync)
        {
            foreach (var resource in resources)
            {
                if (resource.Reconcile.Policy == ResourcePolicy.Detach)
                {
                    continue;
                }

                if (_planned.TryGetValue(resource.Id, out var planned))
                {
                    var pending = !_results.ContainsKey(resource.Id) && planned.Action is PlanAction.Create or PlanAction.Update;
                    if (!string.Equals(planned.Digest, DigestOf(resource), StringComparison.Ordinal))
                    {
                        // Declared differently than when it was planned (a rotated Key Vault secret, a changed variable):
                        // the old decision and any write of it say nothing about this declaration.
                        changed++;
                        _planned.Remove(resource.Id);
                        _results.Remove(resource.Id);
                        _delta.Remove(resource.Id);
                    }
                    else if (pending && resource.Reconcile.Ignore.Count > 0)
                    {
                        // The PUT carries the live values of ignored paths, which the checkpoint does not keep.
                        _planned.Remove(resource.Id);
                    }
                    else
                    {
                        continue;
                    }
                }

                targets.Add(resource);
            }
        }

        if (changed > 0)
        {
            warnings.Add($"{changed} resource(s) are declared differently than when an earlier segment planned them (such as a rotated Key Vault secret); they were observed and planned again.");
        }

        targets.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Id, b.Id));
        return targets;
    }

    /// <summary>True for a write an earlier segment sent without a recorded result: only a GET says what it did.</summary>
    public bool InDoubt(string id)
    {
        lock (_sync)
        {
            return _inDoubt.Contains(id);
        }
    }

    /// <summary>Counts resources read in this segment.</summary>
    public void CountObserved(IReadOnlyList<DeclaredResource> chunk)
    {
        Observed += chunk.Count;
        Reobserved += chunk.Count(r => _inDoubt.Contains(r.Id));
    }

    /// <summary>
    /// Plans the resources observed so far in this segment that have no decision yet, so the checkpoint keeps decisions
    /// rather than bodies. Uses the same inventory and options as the run's plan: planning is per resource.
    /// </summary>
    public void Remember(RunContext context, IReadOnlyDictionary<string, JsonObject> live, IReadOnlyList<DeclaredResource> observed, PlanOptions options)
    {
        var fresh = observed.Where(r => !_planned.ContainsKey(r.Id)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var hidden = SecretPins.HideLive(live, context.Resources);
        var plan = Planner.Plan(new PlanInput
        {
            Environment = context.Job.Environment,
            Desired = fresh,
            Live = hidden,
            Inventory = new ResourceInventory(fresh.Select(r => context.State.Inventory.Find(r.Id)).OfType<InventoryEntry>()),
            Options = options with { Prune = PruneSettings.Disabled },
        });
        var byId = fresh.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        lock (_sync)
        {
            foreach (var change in plan.Changes.Where(c => c.Desired is not null))
            {
                _planned[change.Id] = Planned(change, DigestOf(byId[change.Id]));
            }
        }

        foreach (var resource in fresh.Where(r => hidden.ContainsKey(r.Id)))
        {
            if (HealthChecker.OfLive(resource.Id, hidden[resource.Id], resource.Reconcile.Health) is { } health)
            {
                lock (_sync)
                {
                    _priorHealth.RemoveAll(h => string.Equals(h.Id, health.Id, StringComparison.OrdinalIgnoreCase));
                    _priorHealth.Add(health);
                }
            }
        }
    }

    /// <summary>Earlier decisions as changes for <see cref="PlanInput.Planned"/>; null when there are none.</summary>
    public IReadOnlyDictionary<string, ResourceChange>? KnownChanges()
    {
        lock (_sync)
        {
            if (_planned.Count == 0)
            {
                return null;
            }

            var known = new Dictionary<string, ResourceChange>(_planned.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var planned in _planned.Values)
            {
                known[planned.Id] = new ResourceChange
                {
                    Id = planned.Id,
                    Type = string.Empty,
                    ApiVersion = string.Empty,
                    Action = planned.Action,
                    Reason = planned.Reason,
                    Diffs = planned.Diffs.Select(d => new FieldDiff(d.Path, d.Desired?.DeepClone(), d.Live?.DeepClone(), d.Redacted)).ToList(),
                };
            }

            return known;
        }
    }

    /// <summary>
    /// Forgets the decisions of earlier segments (not the writes that ended): the run now plans in another mode (it was
    /// suspended, or resumed, meanwhile), so every resource is observed and planned again.
    /// </summary>
    public void ForgetPlanned()
    {
        lock (_sync)
        {
            _planned.Clear();
            _priorHealth.Clear();
        }
    }

    /// <summary>The health of resources observed in earlier segments, except those read again in this one.</summary>
    public IEnumerable<ResourceHealth> PriorHealth(IReadOnlyDictionary<string, JsonObject> observedNow)
    {
        lock (_sync)
        {
            return _priorHealth.Where(h => !observedNow.ContainsKey(h.Id)).ToList();
        }
    }

    /// <summary>Results of acting changes that ended in an earlier segment, by id.</summary>
    public IReadOnlyDictionary<string, ResourceResult> Results
    {
        get
        {
            lock (_sync)
            {
                return new Dictionary<string, ResourceResult>(_results, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>True when a result is an end (recorded): not a write left for later, and not one cut off by cancellation.</summary>
    public static bool IsFinal(ResourceResult result) => result.ErrorCode is not (Applier.DeferredCode or Applier.CancelledCode);

    /// <summary>Records a change that ended (from the journal, or skipped because a dependency ended badly in an earlier segment).</summary>
    public void Completed(ResourceChange change, ResourceResult result, ResourceInventory start)
    {
        lock (_sync)
        {
            if (!IsFinal(result))
            {
                return;
            }

            _results[change.Id] = result;
            _inFlight.Remove(change.Id);
            _inDoubt.Remove(change.Id);
            _delta[change.Id] = InventoryUpdate.After(change, result.Outcome, start.Find(change.Id));
            if (result.Outcome != ResourceOutcome.Skipped && change.Action is PlanAction.Create or PlanAction.Update or PlanAction.Delete)
            {
                Writes++;
            }
        }
    }

    /// <summary>The writes that may be sent before the next checkpoint (the journal's window): recorded by the next write.</summary>
    public void SetInFlight(IReadOnlyCollection<string> ids)
    {
        lock (_sync)
        {
            _inFlight = new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>The inventory after what ended so far, for a run that ends before it plans again.</summary>
    public ResourceInventory Inventory(ResourceInventory start)
    {
        lock (_sync)
        {
            var entries = start.Entries.ToDictionary(e => e.Id, StringComparer.OrdinalIgnoreCase);
            foreach (var (id, entry) in _delta)
            {
                if (entry is null)
                {
                    entries.Remove(id);
                }
                else
                {
                    entries[id] = entry;
                }
            }

            return new ResourceInventory(entries.Values);
        }
    }

    /// <summary>Ends the segment because the time budget is spent: the run continues in a follow-up job.</summary>
    public void SpendBudget() => End ??= RunSegmentEnd.Continued;

    /// <summary>Ends the segment early (shutdown, lost lease, storage): the same job is delivered again and resumes.</summary>
    public void Stop(string reason)
    {
        if (End is null or RunSegmentEnd.Continued)
        {
            End = RunSegmentEnd.Stopped;
            StopReason = reason;
        }
    }

    /// <summary>The segments as this one starts (earlier ones ended, this one running), to claim the checkpoint with.</summary>
    public IReadOnlyList<RunSegment> ClaimSegments(RunCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Segments(RunSegmentEnd.Running, string.Empty);
    }

    /// <summary>The segments for a record: null for a run done in one segment.</summary>
    public IReadOnlyList<RunSegment>? RecordSegments(RunSegmentEnd end, string summary)
    {
        var all = Segments(end, summary);
        return all.Count > 1 || end is RunSegmentEnd.Continued or RunSegmentEnd.Stopped ? all : null;
    }

    private List<RunSegment> Segments(RunSegmentEnd end, string summary) =>
    [
        .. _priorSegments,
        new RunSegment
        {
            Number = Number,
            StartedAt = SegmentStartedAt,
            EndedAt = end == RunSegmentEnd.Running ? null : _time.GetUtcNow(),
            End = end,
            Attempt = Attempt,
            Observed = Observed,
            Reobserved = Reobserved,
            Writes = Writes,
            Summary = summary,
        },
    ];

    /// <summary>What this segment did, in a sentence.</summary>
    public string Describe(int declared)
    {
        var parts = new List<string> { $"observed {Observed:N0} resource(s)" + (Reobserved > 0 ? $" ({Reobserved:N0} write(s) of an earlier segment read again)" : string.Empty) };
        if (declared > 0 && PlannedCount < declared)
        {
            parts.Add($"{PlannedCount:N0} of {declared:N0} planned so far");
        }

        parts.Add($"{Writes:N0} write(s)");
        return $"Segment {Number}: {string.Join(", ", parts)}.";
    }

    /// <summary>Builds the checkpoint of the run as it stands.</summary>
    public RunCheckpoint Snapshot(RunContext context, int ticket, RunSegmentEnd end, string summary)
    {
        lock (_sync)
        {
            var planned = context.Plan is { } plan
                ? plan.Changes.Where(c => c.Desired is not null).Select(c => Planned(c, DigestOf(c.Desired!))).ToList()
                : _planned.Values.ToList();
            var order = context.Plan?.Changes.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.OrdinalIgnoreCase);
            var results = _results.Values.OrderBy(r => order?.GetValueOrDefault(r.Id, int.MaxValue) ?? 0).ToList();
            var health = context.Plan is not null ? context.LiveHealth.ToList() : _priorHealth.ToList();
            return new RunCheckpoint
            {
                RunId = context.RunId,
                Repository = context.Job.Repository,
                Environment = context.Job.Environment,
                JobId = Checkpoint?.JobId ?? context.Job.JobId,
                Trigger = context.Job.Trigger,
                StartedAt = context.StartedAt,
                Commit = context.Commit!,
                Ticket = ticket,
                UpdatedAt = _time.GetUtcNow(),
                Segments = Segments(end, summary),
                Applying = context.Plan is not null,
                Planned = planned,
                Results = results,
                Written = new ResourceInventory(_delta.Values.OfType<InventoryEntry>()),
                Removed = _delta.Where(d => d.Value is null).Select(d => d.Key).ToList(),
                InFlight = _inFlight.Concat(_inDoubt).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                LiveHealth = health,
                Warnings = context.Warnings.Distinct(StringComparer.Ordinal).ToList(),
                DetectOnly = Checkpoint?.DetectOnly ?? context.DetectOnly,
                DriftHeldByWindow = context.DriftHeldByWindow,
                Window = context.Window,
                RollbackTip = context.RollbackTip,
                HoldChanged = context.HoldChanged,
                Hold = context.Hold,
            };
        }
    }

    /// <summary>Writes a checkpoint over the last one (ETag-guarded); false when it could not be written or another writer got there first.</summary>
    public async Task<bool> SaveAsync(RunCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        try
        {
            var etag = await Store.SaveAsync(checkpoint, ETag, cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                Checkpoint = checkpoint;
                ETag = etag;
            }

            return true;
        }
        catch (ConcurrencyConflictException)
        {
            Stop("Another worker wrote this run's checkpoint meanwhile (its lease was taken over); this one stopped writing.");
            return false;
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException or ArgumentException))
        {
            Stop($"The checkpoint could not be written ({error.GetType().Name}: {error.Message}); the job is delivered again and resumes from the last one.");
            return false;
        }
    }

    /// <summary>Deletes the run's checkpoint once its end is recorded; best effort (the next run discards a leftover one).</summary>
    public async Task DeleteAsync(string environmentKey)
    {
        if (ETag is not { } etag)
        {
            return;
        }

        try
        {
            await Store.DeleteAsync(environmentKey, etag, CancellationToken.None).ConfigureAwait(false);
            ETag = null;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A leftover checkpoint names a run that no longer holds the environment: the next run discards it.
        }
    }

    private string DigestOf(DeclaredResource resource)
    {
        lock (_digests)
        {
            if (!_digests.TryGetValue(resource.Id, out var digest))
            {
                _digests[resource.Id] = digest = DeclarationDigest.Compute(resource);
            }

            return digest;
        }
    }

    private static PlannedResource Planned(ResourceChange change, string digest)
    {
        var recorded = RecordedChange.From(change);
        return new(change.Id, change.Action, digest) { Reason = recorded.Reason, Diffs = recorded.Diffs };
    }
}

/// <summary>What the reconciler does once a segment ended without ending its run.</summary>
internal enum SegmentContinuation
{
    /// <summary>A follow-up job was queued: complete this message.</summary>
    FollowUp,

    /// <summary>Keep this message: its next delivery resumes from the checkpoint.</summary>
    Retry,
}
