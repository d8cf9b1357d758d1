using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>A blob's system properties as Get Blob and Get Blob Properties report them.</summary>
/// <param name="Name">The blob name.</param>
/// <param name="ETag">The current ETag, for <c>If-Match</c>.</param>
/// <param name="LastModified">When it last changed.</param>
/// <param name="ContentLength">Its size in bytes.</param>
/// <param name="ContentType">Its content type, if set.</param>
/// <param name="LeaseState">Whether it is leased.</param>
public sealed record BlobProperties(
    string Name,
    ETag ETag,
    DateTimeOffset LastModified,
    long ContentLength,
    string? ContentType,
    BlobLeaseState LeaseState);
