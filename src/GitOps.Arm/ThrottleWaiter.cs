using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>One request waiting in a <see cref="ThrottleBucket"/> for its token.</summary>
/// <param name="caller">Whose request it is: its priority and lane.</param>
/// <param name="arrivedAt">When it started waiting (a <see cref="TimeProvider"/> timestamp).</param>
internal sealed class ThrottleWaiter(ArmCaller caller, long arrivedAt)
{
    // Continuations run on the thread pool: grants are made under the bucket's lock and by its timer, which must not
    // run a request's whole send inline.
    private readonly TaskCompletionSource<long> _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ArmCaller Caller { get; } = caller;

    public long ArrivedAt { get; } = arrivedAt;

    /// <summary>Completes with the ticket when granted; cancelled when the caller gives up first.</summary>
    public Task<long> Task => _granted.Task;

    /// <summary>The lane the waiter is queued in and its place there; null once it has left the queue.</summary>
    public ThrottleWaitQueue.Lane? Lane { get; set; }

    /// <summary>Its place in <see cref="Lane"/>.</summary>
    public LinkedListNode<ThrottleWaiter>? Node { get; set; }

    /// <summary>The caller's cancellation, unhooked once the waiter is granted.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Granted or cancelled (set under the bucket's lock).</summary>
    public bool Done { get; set; }

    public void Grant(long ticket) => _granted.TrySetResult(ticket);

    public void Cancel(CancellationToken cancellationToken) => _granted.TrySetCanceled(cancellationToken);
}
