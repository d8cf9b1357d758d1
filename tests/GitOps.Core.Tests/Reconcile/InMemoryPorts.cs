using System.Collections.Concurrent;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>A git repository in memory: commits with parents and files, branch tips.</summary>
internal sealed class FakeConfigSource : IConfigSource
{
    private readonly Dictionary<string, (string? Parent, InMemoryFileTree Files, CommitInfo Info)> _commits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _branches = new(StringComparer.Ordinal);
    private int _sequence;

    public string DefaultBranch { get; set; } = "main";

    public Exception? FailNextRead { get; set; }

    public string Commit(string branch, Action<InMemoryFileTree> files, string message = "change")
    {
        var sha = (++_sequence).ToString("x40");
        var tree = new InMemoryFileTree($"repo@{sha[..7]}");
        files(tree);
        _branches.TryGetValue(branch, out var parent);
        _commits[sha] = (parent, tree, new CommitInfo(sha, "Ada Lovelace", "ada@example.com", DateTimeOffset.Parse("2026-11-01T10:00:00Z").AddMinutes(_sequence), message));
        _branches[branch] = sha;
        return sha;
    }

    public Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default)
    {
        if (commit is not null)
        {
            return Task.FromResult(_commits.TryGetValue(commit, out var c) ? c.Info : throw new ConfigSourceException($"Commit {commit} not found.", transient: false));
        }

        var name = branch ?? DefaultBranch;
        return Task.FromResult(_branches.TryGetValue(name, out var tip) ? _commits[tip].Info : throw new ConfigSourceException($"Branch {name} not found.", transient: false));
    }

    public string GetDefaultBranch(string repository) => DefaultBranch;

    public Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default)
    {
        if (FailNextRead is { } failure)
        {
            FailNextRead = null;
            throw failure;
        }

        return Task.FromResult<IFileTree>(_commits[commit].Files);
    }

    public Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default)
    {
        for (string? current = descendant; current is not null; current = _commits[current].Parent)
        {
            if (string.Equals(current, ancestor, StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }
}

internal sealed class InMemoryRunStore : IRunStore
{
    private readonly List<RunRecord> _latest = [];

    /// <summary>The latest version of each run, in the order the runs were first written (as the store replaces by id).</summary>
    public IReadOnlyList<RunRecord> Saved
    {
        get
        {
            lock (_latest)
            {
                return _latest.ToList();
            }
        }
    }

    /// <summary>Every write, in order (a run's Running record, then its final one).</summary>
    public ConcurrentQueue<RunRecord> Writes { get; } = new();

    /// <summary>When set, each save throws it and counts down; null or zero: saves succeed.</summary>
    public Func<RunRecord, Exception?>? Fail { get; set; }

    public Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        if (Fail?.Invoke(run) is { } failure)
        {
            throw failure;
        }

        // Round-trip through JSON so the tests also prove the record serializes.
        var copy = RunJson.DeserializeRun(RunJson.Serialize(run));
        Writes.Enqueue(copy);
        lock (_latest)
        {
            var index = _latest.FindIndex(r => r.RunId == run.RunId);
            if (index < 0)
            {
                _latest.Add(copy);
            }
            else
            {
                _latest[index] = copy;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string? environmentKey, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunRecord>>(Saved.Where(r => environmentKey is null || r.EnvironmentKey == environmentKey).OrderByDescending(r => r.StartedAt).Take(max).ToList());

    public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Saved.FirstOrDefault(r => r.RunId == runId));

    /// <summary>Full plans by run id, as JSON (so the tests also prove they serialize).</summary>
    public ConcurrentDictionary<string, string> Details { get; } = new();

    public Task<string?> SaveDetailAsync(RunDetail detail, CancellationToken cancellationToken = default)
    {
        Details[detail.RunId] = RunJson.Serialize(detail);
        return Task.FromResult<string?>($"plans/{detail.EnvironmentKey}/{detail.RunId}.json");
    }

    public Task<RunDetail?> GetDetailAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Details.TryGetValue(runId, out var json) ? RunJson.DeserializeDetail(json) : null);
}

/// <summary>Checkpoints in memory, stored as their real (gzip JSON) bytes, ETag-guarded like the blob store.</summary>
internal sealed class InMemoryCheckpointStore : IRunCheckpointStore
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)> _stored = new();
    private int _version;

    /// <summary>Every successful write, in order.</summary>
    public ConcurrentQueue<RunCheckpoint> Writes { get; } = new();

    public int Deletes { get; private set; }

    public bool Has(string key) => _stored.ContainsKey(key);

    public byte[]? Bytes(string key) => _stored.TryGetValue(key, out var s) ? s.Bytes : null;

    /// <summary>Puts raw bytes in place (a damaged or foreign checkpoint).</summary>
    public void Put(string key, byte[] bytes)
    {
        lock (_stored)
        {
            _stored[key] = (bytes, $"\"cp{++_version}\"");
        }
    }

    public Task<StoredRunCheckpoint?> GetAsync(string environmentKey, CancellationToken cancellationToken = default)
    {
        if (!_stored.TryGetValue(environmentKey, out var s))
        {
            return Task.FromResult<StoredRunCheckpoint?>(null);
        }

        try
        {
            return Task.FromResult<StoredRunCheckpoint?>(new StoredRunCheckpoint(RunCheckpointJson.Deserialize(s.Bytes), s.ETag));
        }
        catch (FormatException error)
        {
            return Task.FromResult<StoredRunCheckpoint?>(new StoredRunCheckpoint(null, s.ETag, error.Message));
        }
    }

    public Task<string> SaveAsync(RunCheckpoint checkpoint, string? etag, CancellationToken cancellationToken = default)
    {
        lock (_stored)
        {
            var exists = _stored.TryGetValue(checkpoint.EnvironmentKey, out var current);
            if (exists ? current.ETag != etag : etag is not null)
            {
                throw new ConcurrencyConflictException($"Checkpoint of {checkpoint.EnvironmentKey} changed.");
            }

            var next = $"\"cp{++_version}\"";
            _stored[checkpoint.EnvironmentKey] = (RunCheckpointJson.Serialize(checkpoint), next);
            Writes.Enqueue(checkpoint);
            return Task.FromResult(next);
        }
    }

    public Task DeleteAsync(string environmentKey, string etag, CancellationToken cancellationToken = default)
    {
        lock (_stored)
        {
            if (_stored.TryGetValue(environmentKey, out var current))
            {
                if (current.ETag != etag)
                {
                    throw new ConcurrencyConflictException($"Checkpoint of {environmentKey} changed.");
                }

                _stored.TryRemove(environmentKey, out _);
                Deletes++;
            }

            return Task.CompletedTask;
        }
    }
}

internal sealed class InMemoryStateStore : IEnvironmentStateStore
{
    private readonly ConcurrentDictionary<string, (string Json, string ETag)> _states = new();
    private int _version;

    public Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default) =>
        Task.FromResult<(EnvironmentState, string)?>(_states.TryGetValue(environmentKey, out var s) ? (RunJson.DeserializeState(s.Json), s.ETag) : null);

    public Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default)
    {
        lock (_states)
        {
            var exists = _states.TryGetValue(state.EnvironmentKey, out var current);
            if (exists ? current.ETag != etag : etag is not null)
            {
                throw new ConcurrencyConflictException($"State of {state.EnvironmentKey} changed.");
            }

            var next = $"\"{++_version}\"";
            _states[state.EnvironmentKey] = (RunJson.Serialize(state), next);
            return Task.FromResult(next);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(_states.Keys.Order().ToList());
}

internal sealed class InMemoryLock : IEnvironmentLock
{
    private readonly ConcurrentDictionary<string, Lease> _held = new();

    public int MaxConcurrent { get; private set; }

    public Task<IEnvironmentLease?> TryAcquireAsync(string environmentKey, CancellationToken cancellationToken = default)
    {
        var lease = new Lease(this, environmentKey);
        if (!_held.TryAdd(environmentKey, lease))
        {
            return Task.FromResult<IEnvironmentLease?>(null);
        }

        lock (_held)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, _held.Count(h => h.Key == environmentKey));
        }

        return Task.FromResult<IEnvironmentLease?>(lease);
    }

    public sealed class Lease(InMemoryLock owner, string key) : IEnvironmentLease
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public void Lose() => _lost.Cancel();

        public ValueTask DisposeAsync()
        {
            // Releasing a lapsed lease must not release the next holder's.
            ((ICollection<KeyValuePair<string, Lease>>)owner._held).Remove(new KeyValuePair<string, Lease>(key, this));
            _lost.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public bool IsHeld(string key) => _held.ContainsKey(key);

    /// <summary>Lets the lease lapse without telling its holder (a worker frozen past its lease, e.g. a long GC pause).</summary>
    public void Expire(string key) => _held.TryRemove(key, out _);
}

internal sealed class InMemoryQueue : IJobQueue
{
    public ConcurrentQueue<(ReconcileJob Job, TimeSpan Delay)> Enqueued { get; } = new();

    public ConcurrentQueue<PushJob> Pushes { get; } = new();

    public Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default)
    {
        Pushes.Enqueue(job);
        return Task.CompletedTask;
    }

    public Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default)
    {
        Enqueued.Enqueue((job, delay));
        return Task.CompletedTask;
    }
}
