using GitOps.Core.Inventory;
using GitOps.Core.Ports;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Keeps the resource index (<see cref="IResourceIndex"/>) in step with an environment's inventory. Ids a run added
/// are written before its state, so the index always covers every written inventory; ids it removed are deleted after
/// the state, so a failure leaves a stale entry (harmless: the event handler checks the inventory and removes it),
/// never a missing one. A state whose index writes failed, or that predates the index, is written whole again.
/// </summary>
internal static class ResourceIndexSync
{
    /// <summary>Writes the ids to add; false when the index could not be written (the state then says it is not indexed).</summary>
    public static async Task<bool> AddAsync(IResourceIndex index, RunContext context, ResourceInventory before, ResourceInventory after, CancellationToken cancellationToken)
    {
        var ids = context.State.ResourceIndexedAt is null
            ? after.Entries.Select(e => e.Id).ToList()
            : after.Entries.Where(e => !before.Contains(e.Id)).Select(e => e.Id).ToList();
        if (ids.Count == 0)
        {
            return true;
        }

        try
        {
            await index.AddAsync(context.Job.Repository, context.Job.Environment, ids, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            context.Warnings.Add($"The resource index (which routes ARM events to environments) could not be updated ({error.GetType().Name}); the next run writes it again, and the drift timer covers these resources meanwhile.");
            return false;
        }
    }

    /// <summary>Deletes the ids the run removed from the inventory (failures leave stale entries, which are removed when noticed).</summary>
    public static async Task RemoveAsync(IResourceIndex index, RunContext context, ResourceInventory before, ResourceInventory after, CancellationToken cancellationToken)
    {
        var ids = before.Entries.Where(e => !after.Contains(e.Id)).Select(e => e.Id).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            await index.RemoveAsync(context.Job.Repository, context.Job.Environment, ids, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            // Stale entries only cost a lookup: the event handler finds the id missing from the inventory and removes them.
        }
    }
}
