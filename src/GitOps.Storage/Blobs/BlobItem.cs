using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>One entry of a List Blobs page.</summary>
/// <param name="Name">The full blob name.</param>
/// <param name="ETag">Its ETag.</param>
/// <param name="LastModified">When it last changed.</param>
/// <param name="ContentLength">Its size in bytes.</param>
/// <param name="ContentType">Its content type, if set.</param>
/// <param name="LeaseState">Whether it is leased.</param>
public sealed record BlobItem(
    string Name,
    ETag ETag,
    DateTimeOffset LastModified,
    long ContentLength,
    string? ContentType,
    BlobLeaseState LeaseState);
