namespace GitOps.Storage.Blobs;

/// <summary>A downloaded blob: its bytes and the properties (ETag first) read with them.</summary>
/// <param name="Content">The blob content.</param>
/// <param name="Properties">ETag, times, type and lease state at the time of the read.</param>
public sealed record BlobDownloadResult(BinaryData Content, BlobProperties Properties);
