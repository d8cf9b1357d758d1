namespace GitOps.Storage;

/// <summary>Storage error codes (the <c>x-ms-error-code</c> header or the XML <c>&lt;Code&gt;</c>) this library acts on.</summary>
public static class StorageErrorCodes
{
    /// <summary>412: an <c>If-Match</c>/<c>If-None-Match</c> (with an ETag) condition failed.</summary>
    public const string ConditionNotMet = "ConditionNotMet";
    /// <summary>409: <c>If-None-Match: *</c> on a blob that exists.</summary>
    public const string BlobAlreadyExists = "BlobAlreadyExists";
    /// <summary>404: the blob does not exist.</summary>
    public const string BlobNotFound = "BlobNotFound";
    /// <summary>404: the container does not exist.</summary>
    public const string ContainerNotFound = "ContainerNotFound";
    /// <summary>409: the container exists.</summary>
    public const string ContainerAlreadyExists = "ContainerAlreadyExists";
    /// <summary>409: acquiring a lease on a blob that is already leased.</summary>
    public const string LeaseAlreadyPresent = "LeaseAlreadyPresent";
    /// <summary>412: writing to a leased blob without <c>x-ms-lease-id</c>.</summary>
    public const string LeaseIdMissing = "LeaseIdMissing";
    /// <summary>412: the lease id does not match the blob's lease (blob operation).</summary>
    public const string LeaseIdMismatchWithBlobOperation = "LeaseIdMismatchWithBlobOperation";
    /// <summary>409: the lease id does not match the blob's lease (lease operation).</summary>
    public const string LeaseIdMismatchWithLeaseOperation = "LeaseIdMismatchWithLeaseOperation";
    /// <summary>412: a lease id was given but the blob has no lease (blob operation).</summary>
    public const string LeaseNotPresentWithBlobOperation = "LeaseNotPresentWithBlobOperation";
    /// <summary>409: a lease id was given but the blob has no lease (lease operation).</summary>
    public const string LeaseNotPresentWithLeaseOperation = "LeaseNotPresentWithLeaseOperation";
    /// <summary>412: the lease expired and another party acquired or modified the blob.</summary>
    public const string LeaseLost = "LeaseLost";
    /// <summary>409: a broken lease cannot be renewed.</summary>
    public const string LeaseIsBrokenAndCannotBeRenewed = "LeaseIsBrokenAndCannotBeRenewed";
    /// <summary>409: a breaking lease cannot be acquired.</summary>
    public const string LeaseIsBreakingAndCannotBeAcquired = "LeaseIsBreakingAndCannotBeAcquired";
    /// <summary>409: a breaking lease cannot be changed.</summary>
    public const string LeaseIsBreakingAndCannotBeChanged = "LeaseIsBreakingAndCannotBeChanged";
    /// <summary>409: the lease is already broken.</summary>
    public const string LeaseAlreadyBroken = "LeaseAlreadyBroken";
    /// <summary>409: the queue exists with different metadata.</summary>
    public const string QueueAlreadyExists = "QueueAlreadyExists";
    /// <summary>404: the queue does not exist.</summary>
    public const string QueueNotFound = "QueueNotFound";
    /// <summary>404: the message was deleted or its visibility expired and it was taken by someone else.</summary>
    public const string MessageNotFound = "MessageNotFound";
    /// <summary>400: the pop receipt is not the message's current one.</summary>
    public const string PopReceiptMismatch = "PopReceiptMismatch";
    /// <summary>413: the request body (for queues, the message) is over the limit.</summary>
    public const string RequestBodyTooLarge = "RequestBodyTooLarge";
    /// <summary>403: the signature or token was rejected.</summary>
    public const string AuthenticationFailed = "AuthenticationFailed";
}
