namespace GitOps.ArmSimulator.Logging;

/// <summary>The bounded, thread-safe log of ARM requests behind <see cref="ArmSimulatorState.Requests"/>.</summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly Queue<ArmRequestRecord> _records = new();
    private readonly int _capacity;

    public RequestLog(int capacity) => _capacity = Math.Max(1, capacity);

    public void Add(ArmRequestRecord record)
    {
        lock (_gate)
        {
            _records.Enqueue(record);
            while (_records.Count > _capacity)
            {
                _records.Dequeue();
            }
        }
    }

    public IReadOnlyList<ArmRequestRecord> Snapshot()
    {
        lock (_gate)
        {
            return _records.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }
}
