namespace GitOps.Storage.Blobs;

/// <summary>One page of List Blobs.</summary>
/// <param name="Items">The blobs on this page, in name order.</param>
/// <param name="NextMarker">The opaque continuation marker, or null when this was the last page.</param>
public sealed record BlobListPage(IReadOnlyList<BlobItem> Items, string? NextMarker);
