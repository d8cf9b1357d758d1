namespace GitOps.Storage;

/// <summary>
/// A conditional or lease-guarded operation was refused (412 <c>ConditionNotMet</c>, 409 <c>BlobAlreadyExists</c>,
/// 409 <c>LeaseAlreadyPresent</c>, lease id problems). Catch it to implement optimistic concurrency and lease contention.
/// </summary>
public sealed class StorageConditionFailedException : StorageRequestException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="condition">Which condition failed.</param>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="errorCode">The storage error code.</param>
    /// <param name="operation">What was attempted.</param>
    /// <param name="resource">What it was attempted on.</param>
    /// <param name="message">The full message.</param>
    public StorageConditionFailedException(StorageConditionFailure condition, int status, string? errorCode, string operation, string resource, string message)
        : base(status, errorCode, operation, resource, message)
    {
        Condition = condition;
    }

    /// <summary>Which condition failed.</summary>
    public StorageConditionFailure Condition { get; }
}
