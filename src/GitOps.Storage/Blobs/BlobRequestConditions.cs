using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>
/// Conditions on a blob write, read or delete: ETag guards (<c>If-Match</c>, <c>If-None-Match</c>, dates) from
/// <see cref="RequestConditions"/> plus the lease id a leased blob requires.
/// </summary>
public class BlobRequestConditions : RequestConditions
{
    /// <summary>The lease id to send as <c>x-ms-lease-id</c> (required to write a leased blob).</summary>
    public string? LeaseId { get; set; }

    /// <summary>Create-only: <c>If-None-Match: *</c>. Fails with <see cref="StorageConditionFailure.BlobAlreadyExists"/> if the blob exists.</summary>
    /// <returns>New conditions.</returns>
    public static BlobRequestConditions CreateOnly() => new() { IfNoneMatch = ETag.All };

    /// <summary>Replace-if-match: <c>If-Match: "etag"</c>. Fails with <see cref="StorageConditionFailure.ConditionNotMet"/> if the blob changed.</summary>
    /// <param name="etag">The ETag last read.</param>
    /// <param name="leaseId">The lease id, when the blob is leased.</param>
    /// <returns>New conditions.</returns>
    public static BlobRequestConditions IfMatchETag(ETag etag, string? leaseId = null) => new() { IfMatch = etag, LeaseId = leaseId };

    /// <summary>Only the lease id, for unconditional writes to a leased blob.</summary>
    /// <param name="leaseId">The lease id.</param>
    /// <returns>New conditions.</returns>
    public static BlobRequestConditions WithLease(string leaseId) => new() { LeaseId = leaseId };
}
