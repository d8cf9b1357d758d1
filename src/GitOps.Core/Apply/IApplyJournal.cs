using GitOps.Core.Planning;

namespace GitOps.Core.Apply;

/// <summary>
/// Lets a run that works within a time budget gate and record its writes (the reconciler's checkpoint journal): a
/// write is sent only once the journal has recorded that it may be sent, so a run that dies leaves a checkpoint naming
/// every write that might have reached ARM without its result being recorded, and the resumed run reads those again
/// instead of trusting the plan.
/// </summary>
public interface IApplyJournal
{
    /// <summary>
    /// Called before a write (PUT or DELETE) is sent. True: send it now. False: leave it for a later segment (the time
    /// budget is spent, or the journal could not be recorded); it is then reported with <see cref="Applier.DeferredCode"/>.
    /// </summary>
    /// <param name="change">The change about to be written.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    ValueTask<bool> AdmitAsync(ResourceChange change, CancellationToken cancellationToken);

    /// <summary>Called when a change's dependencies are done and it waits for a write slot: the order writes will ask to be admitted in.</summary>
    /// <param name="change">The change.</param>
    void Ready(ResourceChange change);

    /// <summary>Called once per acting change with its result (after the write and its health check, or when it was skipped or deferred).</summary>
    /// <param name="change">The change.</param>
    /// <param name="result">Its result.</param>
    void Completed(ResourceChange change, ResourceResult result);
}
