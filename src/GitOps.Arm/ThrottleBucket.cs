using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// One of <see cref="ThrottleBudget"/>'s buckets (a subscription and an operation kind): the estimate of ARM's tokens
/// and the scheduler of the requests that wait for them. While the estimate is above the reserve a request goes at once;
/// at the reserve it joins a <see cref="ThrottleWaitQueue"/>, and one timer lets the next waiter go each time a token's
/// worth has refilled. Thread-safe.
/// </summary>
internal sealed class ThrottleBucket
{
    // Refill is computed in floating point from timestamps; a timer due exactly when the token is back may find it a
    // hair short, which must not cost another timer round.
    private const double Epsilon = 1e-9;

    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly double _refillPerSecond;
    private readonly int _reserve;
    private readonly TimeProvider _time;
    private readonly ThrottleWaitQueue _waiting = new();
    private readonly Action<TimeSpan> _delayed;

    // Each ticket not observed yet, in order, with how many requests had been answered when it was let go: those are
    // the only ones ARM surely counted before it.
    private readonly Queue<(long Ticket, long Answered)> _unobserved = new();
    private ITimer? _timer;
    private double _tokens;
    private long _updatedAt;
    private long _heldUntil;
    private int _outstanding;
    private long _released;
    private long _lastTicket;
    private long _observedTicket;

    /// <summary>Creates a full bucket.</summary>
    /// <param name="capacity">ARM's bucket size.</param>
    /// <param name="refillPerSecond">ARM's refill rate.</param>
    /// <param name="reserve">Tokens kept in hand.</param>
    /// <param name="time">The clock and the timer.</param>
    /// <param name="delayed">Told how long each request that had to wait waited.</param>
    public ThrottleBucket(int capacity, double refillPerSecond, int reserve, TimeProvider time, Action<TimeSpan> delayed)
    {
        _capacity = capacity;
        _refillPerSecond = refillPerSecond;
        _reserve = reserve;
        _time = time;
        _delayed = delayed;
        _tokens = capacity;
        _updatedAt = time.GetTimestamp();
        _heldUntil = _updatedAt;
    }

    /// <summary>How many requests wait.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public Task<long> AcquireAsync(ArmCaller caller, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(cancellationToken);
        }

        ThrottleWaiter waiter;
        List<(ThrottleWaiter, long)>? granted;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            Refill(now);

            // Nobody waiting and tokens above the reserve: go. With anyone waiting, the newcomer queues even when a token
            // is there (refilled since the timer last fired), so that the queue's order (priority, then the lanes'
            // turns) decides who gets it.
            if (_waiting.Count == 0 && CanGrant(now))
            {
                return Task.FromResult(Take());
            }

            waiter = new ThrottleWaiter(caller, now);
            _waiting.Enqueue(waiter);
            granted = Pump(now);
        }

        Complete(granted);
        if (waiter.Task.IsCompleted)
        {
            return waiter.Task;
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(
                static (state, token) =>
                {
                    var (bucket, waiting) = ((ThrottleBucket, ThrottleWaiter))state!;
                    bucket.Cancel(waiting, token);
                },
                (this, waiter));
            bool settled;
            lock (_gate)
            {
                // Granted (or cancelled) while the registration was being made: nothing left to cancel.
                settled = waiter.Done;
                if (!settled)
                {
                    waiter.Registration = registration;
                }
            }

            if (settled)
            {
                registration.Dispose();
            }
        }

        return waiter.Task;
    }

    public void Release()
    {
        lock (_gate)
        {
            _outstanding = Math.Max(0, _outstanding - 1);
            _released++;
        }
    }

    public void Observe(long remaining, long ticket)
    {
        List<(ThrottleWaiter, long)>? granted;
        lock (_gate)
        {
            // Responses overtake each other: a count carried by a request sent before the last one observed was taken
            // before that one's, so it would put back tokens ARM has already handed out. A ticket no longer in the log
            // is older still (or not this bucket's).
            if (ticket < _observedTicket || !TryForget(ticket, out long answered))
            {
                return;
            }

            _observedTicket = ticket;
            long now = _time.GetTimestamp();

            // ARM's count includes this request and every one answered before it was let go; any other may not be in
            // it yet: those still in flight, and those answered since it was let go, which may have reached ARM after
            // it (requests overtake each other on the way too). Subtracting them all keeps the estimate at or below
            // what ARM has left; subtracting only those in flight would count the overtaken ones nowhere.
            long uncounted = _lastTicket - answered - 1;
            _tokens = Math.Min(_capacity, remaining) - uncounted;
            _updatedAt = now;
            granted = Pump(now);
        }

        Complete(granted);
    }

    public void Throttled(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            Refill(now);

            // Nothing goes before Retry-After (ARM would refuse it, whatever a late header says), and afterwards the
            // bucket starts from the reserve again rather than from what we believed before the 429.
            long until = now + (long)Math.Ceiling(retryAfter.TotalSeconds * _time.TimestampFrequency);
            _heldUntil = Math.Max(_heldUntil, until);
            double floor = _reserve - _outstanding - (_refillPerSecond * retryAfter.TotalSeconds);
            _tokens = Math.Min(_tokens, floor);
            if (_waiting.Count > 0)
            {
                ScheduleNext(now);
            }
        }
    }

    public double Estimate()
    {
        lock (_gate)
        {
            Refill(_time.GetTimestamp());
            return _tokens;
        }
    }

    private void OnTimer()
    {
        List<(ThrottleWaiter, long)>? granted;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            Refill(now);
            granted = Pump(now);
        }

        Complete(granted);
    }

    private void Cancel(ThrottleWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A waiter holds no token until it is granted, so leaving the queue is the whole refund; one already
            // granted keeps its token and is released by its caller as usual.
            if (waiter.Done || !_waiting.Remove(waiter))
            {
                return;
            }

            waiter.Done = true;
        }

        waiter.Cancel(cancellationToken);
    }

    // Lets waiters go, in the queue's order, while the tokens allow; arms the timer for the rest. Called under the lock;
    // the grants are completed by the caller after it lets go of the lock.
    private List<(ThrottleWaiter, long)>? Pump(long now)
    {
        List<(ThrottleWaiter, long)>? granted = null;
        while (_waiting.Count > 0 && CanGrant(now))
        {
            var waiter = _waiting.Dequeue()!;
            waiter.Done = true;
            (granted ??= []).Add((waiter, Take()));
        }

        if (_waiting.Count > 0)
        {
            ScheduleNext(now);
        }

        return granted;
    }

    private void Complete(List<(ThrottleWaiter Waiter, long Ticket)>? granted)
    {
        if (granted is null)
        {
            return;
        }

        long now = _time.GetTimestamp();
        foreach (var (waiter, ticket) in granted)
        {
            waiter.Registration.Dispose();
            var waited = _time.GetElapsedTime(waiter.ArrivedAt, now);
            if (waited > TimeSpan.Zero)
            {
                _delayed(waited);
            }

            waiter.Grant(ticket);
        }
    }

    private bool CanGrant(long now) => now >= _heldUntil && _tokens - 1 >= _reserve - Epsilon;

    private long Take()
    {
        _tokens -= 1;
        _outstanding++;
        _lastTicket++;

        // A server that sends no count never lets the log shrink by observation: keep it to the tickets that can still
        // matter (a count older than a whole bucket of later requests says nothing about now).
        if (_unobserved.Count >= 4 * _capacity)
        {
            _unobserved.Dequeue();
        }

        _unobserved.Enqueue((_lastTicket, _released));
        return _lastTicket;
    }

    // Finds the ticket in the log and drops it with every older one (their counts are ignored from now on).
    private bool TryForget(long ticket, out long answered)
    {
        answered = 0;
        while (_unobserved.TryPeek(out var oldest) && oldest.Ticket <= ticket)
        {
            _unobserved.Dequeue();
            if (oldest.Ticket == ticket)
            {
                answered = oldest.Answered;
                return true;
            }
        }

        return false;
    }

    // When the next waiter can go: the end of a 429's hold, or when a token's worth above the reserve has refilled.
    private void ScheduleNext(long now)
    {
        double missing = Math.Max(0, _reserve + 1 - _tokens);
        long dueTicks = Math.Max(_heldUntil - now, (long)Math.Ceiling(missing / _refillPerSecond * _time.TimestampFrequency));
        var due = TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(dueTicks * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency)));
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static state => ((ThrottleBucket)state!).OnTimer(), this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Refill(long now)
    {
        double seconds = _time.GetElapsedTime(_updatedAt, now).TotalSeconds;
        if (seconds > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (seconds * _refillPerSecond));
            _updatedAt = now;
        }
    }
}
