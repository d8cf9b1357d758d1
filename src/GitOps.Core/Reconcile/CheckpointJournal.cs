using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Planning;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The write-ahead side of a run's checkpoint (<see cref="IApplyJournal"/>): a write is admitted only once a
/// checkpoint names it among the writes that may be in flight, and each checkpoint records the results that ended
/// since the last. So a worker that dies mid-apply leaves a checkpoint with every recorded result and at most
/// <see cref="ReconcilerOptions.CheckpointWindow"/> writes whose fate is unknown, which the resumed run reads again.
/// Once the time budget is spent (or a checkpoint cannot be written) nothing more is admitted: writes in flight finish,
/// the rest are left for the next segment.
/// </summary>
internal sealed class CheckpointJournal : IApplyJournal
{
    private readonly object _sync = new();
    private readonly RunSegmentSession _session;
    private readonly ResourceInventory _start;
    private readonly Queue<string> _ready = new();
    private readonly int _window;
    private readonly Func<IReadOnlyCollection<string>, Task<bool>> _persist;
    private readonly HashSet<string> _admitted = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ended = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string> _intent = new(StringComparer.OrdinalIgnoreCase);
    private Task<bool>? _persisting;
    private bool _closed;

    /// <param name="session">The segment: the budget, and where ended changes are recorded.</param>
    /// <param name="start">The inventory the plan was made against.</param>
    /// <param name="window">How many writes a checkpoint may admit beyond those in flight.</param>
    /// <param name="persist">Writes a checkpoint naming these writes as in flight; false when it could not.</param>
    public CheckpointJournal(RunSegmentSession session, ResourceInventory start, int window, Func<IReadOnlyCollection<string>, Task<bool>> persist)
    {
        _session = session;
        _start = start;
        _window = Math.Max(1, window);
        _persist = persist;
    }

    /// <summary>True once a write was refused for lack of a recorded checkpoint (not for the budget).</summary>
    public bool Failed { get; private set; }

    /// <summary>Writes admitted whose result is not recorded as an end: in flight, or cut off.</summary>
    public IReadOnlyCollection<string> Unrecorded()
    {
        lock (_sync)
        {
            return _admitted.Where(id => !_ended.Contains(id)).ToList();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AdmitAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<bool> pending;
            lock (_sync)
            {
                if (_closed || _session.BudgetSpent)
                {
                    _closed = true;
                    return false;
                }

                if (_intent.Contains(change.Id))
                {
                    _admitted.Add(change.Id);
                    return true;
                }

                _persisting ??= PersistAsync(NextIntent(change.Id));
                pending = _persisting;
            }

            if (!await pending.ConfigureAwait(false))
            {
                lock (_sync)
                {
                    _closed = true;
                    Failed = true;
                }

                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Ready(ResourceChange change)
    {
        if (change.Action is PlanAction.Create or PlanAction.Update or PlanAction.Delete)
        {
            lock (_sync)
            {
                _ready.Enqueue(change.Id);
            }
        }
    }

    /// <inheritdoc />
    public void Completed(ResourceChange change, ResourceResult result)
    {
        if (RunSegmentSession.IsFinal(result))
        {
            lock (_sync)
            {
                _ended.Add(change.Id);
            }
        }

        _session.Completed(change, result, _start);
    }

    // Everything in flight (its fate is not recorded yet), the write asking, and the next writes to become ready: writes
    // ask for a slot in the order they became ready, so the window names the writes that will ask next.
    private HashSet<string> NextIntent(string asking)
    {
        var next = new HashSet<string>(_admitted.Where(id => !_ended.Contains(id)), StringComparer.OrdinalIgnoreCase) { asking };
        var limit = next.Count + _window;
        while (next.Count < limit && _ready.TryDequeue(out var id))
        {
            if (!_ended.Contains(id) && !_admitted.Contains(id))
            {
                next.Add(id);
            }
        }

        return next;
    }

    private async Task<bool> PersistAsync(HashSet<string> intent)
    {
        var ok = false;
        try
        {
            // Let the caller's lock go before the storage call.
            await Task.Yield();
            ok = await _persist(intent).ConfigureAwait(false);
            return ok;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Unrecorded, the window is not open: nothing more is sent in this segment.
            return false;
        }
        finally
        {
            lock (_sync)
            {
                if (ok)
                {
                    _intent = intent;
                }

                _persisting = null;
            }
        }
    }
}
