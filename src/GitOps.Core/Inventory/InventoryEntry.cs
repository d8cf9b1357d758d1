using GitOps.Core.Manifests;

namespace GitOps.Core.Inventory;

/// <summary>
/// One resource an environment applied: enough to prune it after it left git, and to notice a change in git to a
/// field ARM never returns (a password, an omitted default) through <see cref="Digest"/>.
/// </summary>
/// <param name="Id">Resource id.</param>
/// <param name="Type">Resource type without api-version.</param>
/// <param name="ApiVersion">The api-version it was applied with (used again to delete it).</param>
/// <param name="Digest">The <see cref="DeclarationDigest"/> of the last applied declaration.</param>
/// <param name="DependsOn">Its dependencies when last applied, so deletes can run in reverse order.</param>
/// <param name="OnDelete">What to do when it leaves git, remembered because the declaration will be gone by then.</param>
/// <param name="Shape">The <see cref="DeclarationDigest.ComputeShape"/> of the last applied declaration; null when unknown (older states, failed PUTs).</param>
public sealed record InventoryEntry(
    string Id,
    string Type,
    string ApiVersion,
    string Digest,
    IReadOnlyList<string> DependsOn,
    DeleteBehavior OnDelete = DeleteBehavior.Delete,
    string? Shape = null);
