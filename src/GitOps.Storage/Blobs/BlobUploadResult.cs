using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>What a successful Put Blob returns.</summary>
/// <param name="ETag">The new ETag: pass it to the next <c>If-Match</c> write.</param>
/// <param name="LastModified">When the write happened.</param>
public sealed record BlobUploadResult(ETag ETag, DateTimeOffset LastModified);
