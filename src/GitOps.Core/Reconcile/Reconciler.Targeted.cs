using GitOps.Core.Manifests;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Targeted pushes (issue 16, item 6; docs/events.md, "Targeted pushes"): with <see cref="ReconcilerOptions.TargetedPushes"/>,
/// a push run narrows through the same scope as an event run (<see cref="RunContext.ScopedInventory"/>, <see
/// cref="RunContext.RecordedScope"/>) to what <see cref="ObservationScope.SelectChanged"/> selects. Unlike an event
/// run it still applies its commit and prunes: the planner sees every inventory entry no longer declared, and every
/// declared resource it does not see is declared exactly as when it was last applied, so its entry is carried over.
/// </summary>
public sealed partial class Reconciler
{
    // After the secrets step: inventory digests are of secret-pinned declarations, so a rotated secret reads as changed.
    private async Task SelectTargetsAsync(RunContext context, CancellationToken cancellationToken)
    {
        // A manual sync, a rollback, a retry and the drift timer always observe everything; so does a first apply.
        if (!_options.TargetedPushes || context.Job.Trigger != RunTrigger.Push || context.RecordedScope is not null
            || context.State.LastApplied is not { } applied || context.State.Inventory.Entries.Count == 0)
        {
            return;
        }

        if (await DefinitionsChangedSinceAsync(context, applied, cancellationToken).ConfigureAwait(false) is { } changed)
        {
            context.Warnings.Add($"{changed} since the last applied commit {applied.ShortSha}, so this push observes the whole environment.");
            return;
        }

        var (selected, record) = ObservationScope.SelectChanged(context.Resources, context.State.Inventory);
        context.RecordedScope = record;
        context.ScopedInventory = ScopedInventory.RestrictWithUndeclared(context.State.Inventory, selected, context.Resources);
        context.Resources = selected;
    }

    // gitops.yaml and the policy decide more than declarations (prune, health, what is allowed): a change to either
    // widens the push to the whole environment. Compared with the files at the last applied commit, so an environment
    // whose branch holds other copies of them than the default branch is always observed whole (safe, not cheap).
    private async Task<string?> DefinitionsChangedSinceAsync(RunContext context, CommitInfo applied, CancellationToken cancellationToken)
    {
        IFileTree then;
        try
        {
            then = await source.ReadAsync(context.Job.Repository, applied.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigSourceException error) when (!error.IsTransient)
        {
            return $"The last applied commit could not be read ({error.Message})";
        }

        var now = context.Definitions!;
        foreach (var file in new[] { ManifestLoader.ConfigFileName, PolicySet.FileName })
        {
            var before = then.FileExists(file) ? then.ReadFile(file) : ReadOnlyMemory<byte>.Empty;
            var after = now.FileExists(file) ? now.ReadFile(file) : ReadOnlyMemory<byte>.Empty;
            if (then.FileExists(file) != now.FileExists(file) || !before.Span.SequenceEqual(after.Span))
            {
                return $"{file} changed";
            }
        }

        return null;
    }
}
