using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// The requests waiting for one bucket's tokens: a queue per <see cref="ArmCallPriority"/>, served strictly in priority
/// order, and within a priority one first-in-first-out queue per lane, the lanes taking turns. So a push is never
/// behind a sweep, and one environment's sweep of 500 reads does not hold back another's. Not thread-safe: the bucket
/// holds its lock around every call.
/// </summary>
internal sealed class ThrottleWaitQueue
{
    private static readonly int Priorities = Enum.GetValues<ArmCallPriority>().Length;
    private readonly Tier[] _tiers = Enumerable.Range(0, Priorities).Select(_ => new Tier()).ToArray();

    /// <summary>How many requests wait.</summary>
    public int Count { get; private set; }

    /// <summary>Queues <paramref name="waiter"/> at the end of its lane.</summary>
    public void Enqueue(ThrottleWaiter waiter)
    {
        var tier = _tiers[TierOf(waiter.Caller.Priority)];
        if (!tier.Lanes.TryGetValue(waiter.Caller.Lane, out var lane))
        {
            lane = new Lane(waiter.Caller.Lane, tier);
            tier.Lanes.Add(lane.Name, lane);
            lane.Turn = tier.Turns.AddLast(lane);
        }

        waiter.Lane = lane;
        waiter.Node = lane.Waiters.AddLast(waiter);
        Count++;
    }

    /// <summary>Takes out a waiter that gave up; false when it is not queued (already granted).</summary>
    public bool Remove(ThrottleWaiter waiter)
    {
        if (waiter.Lane is not { } lane || waiter.Node is not { } node)
        {
            return false;
        }

        lane.Waiters.Remove(node);
        Leave(waiter);
        if (lane.Waiters.Count == 0)
        {
            Drop(lane);
        }

        return true;
    }

    /// <summary>The next waiter to serve: the highest priority's lane whose turn it is, first in that lane.</summary>
    public ThrottleWaiter? Dequeue()
    {
        foreach (var tier in _tiers)
        {
            if (tier.Turns.First is not { } turn)
            {
                continue;
            }

            var lane = turn.Value;
            var waiter = lane.Waiters.First!.Value;
            lane.Waiters.RemoveFirst();
            Leave(waiter);
            if (lane.Waiters.Count == 0)
            {
                Drop(lane);
            }
            else
            {
                // Served: the lane goes to the back of the turns.
                tier.Turns.Remove(turn);
                tier.Turns.AddLast(turn);
            }

            return waiter;
        }

        return null;
    }

    // A priority outside the enum (a cast from a future caller) waits as manual rather than failing the request.
    private static int TierOf(ArmCallPriority priority) =>
        (int)priority >= 0 && (int)priority < Priorities ? (int)priority : (int)ArmCallPriority.Manual;

    private void Leave(ThrottleWaiter waiter)
    {
        waiter.Lane = null;
        waiter.Node = null;
        Count--;
    }

    private static void Drop(Lane lane)
    {
        lane.Owner.Turns.Remove(lane.Turn!);
        lane.Owner.Lanes.Remove(lane.Name);
    }

    /// <summary>The waiters of one lane, in arrival order.</summary>
    internal sealed class Lane(string name, Tier owner)
    {
        public string Name { get; } = name;

        public Tier Owner { get; } = owner;

        public LinkedList<ThrottleWaiter> Waiters { get; } = new();

        /// <summary>The lane's place in <see cref="Tier.Turns"/>.</summary>
        public LinkedListNode<Lane>? Turn { get; set; }
    }

    /// <summary>The lanes of one priority and the order of their turns.</summary>
    internal sealed class Tier
    {
        public Dictionary<string, Lane> Lanes { get; } = new(StringComparer.Ordinal);

        public LinkedList<Lane> Turns { get; } = new();
    }
}
