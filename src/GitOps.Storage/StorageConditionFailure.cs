namespace GitOps.Storage;

/// <summary>Why a conditional or lease-guarded storage operation was refused. Callers build optimistic concurrency and lease contention on these.</summary>
public enum StorageConditionFailure
{
    /// <summary>412 <c>ConditionNotMet</c>: the ETag no longer matches (someone else wrote first).</summary>
    ConditionNotMet,
    /// <summary>409 <c>BlobAlreadyExists</c>: a create-only write found the blob.</summary>
    BlobAlreadyExists,
    /// <summary>409 <c>LeaseAlreadyPresent</c>: another party holds the lease.</summary>
    LeaseAlreadyPresent,
    /// <summary>412 <c>LeaseIdMissing</c>: the blob is leased and no lease id was given.</summary>
    LeaseIdMissing,
    /// <summary>409/412 <c>LeaseIdMismatch*</c>: the given lease id is not the blob's lease.</summary>
    LeaseIdMismatch,
    /// <summary>409/412 <c>LeaseNotPresent*</c>: a lease id was given but the blob is not leased.</summary>
    LeaseNotPresent,
    /// <summary>412 <c>LeaseLost</c>: the lease expired and was lost.</summary>
    LeaseLost,
    /// <summary>409 <c>LeaseIsBroken*</c>/<c>LeaseIsBreaking*</c>/<c>LeaseAlreadyBroken</c>: the lease was broken.</summary>
    LeaseBroken,
}
