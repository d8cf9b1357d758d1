using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>A JSON document read from a blob, with the ETag to guard the next write.</summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Name">The blob name.</param>
/// <param name="Value">The deserialized document.</param>
/// <param name="ETag">The ETag read with it: pass it to <see cref="JsonBlobStore.TryReplaceAsync{T}"/>.</param>
/// <param name="LastModified">When it was last written.</param>
public sealed record JsonBlob<T>(string Name, T Value, ETag ETag, DateTimeOffset LastModified);
