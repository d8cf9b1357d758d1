using Azure;

namespace GitOps.Storage;

/// <summary>
/// A storage call answered with an error status. Carries the HTTP status (<see cref="RequestFailedException.Status"/>),
/// the storage error code (<see cref="RequestFailedException.ErrorCode"/>), the operation and the resource.
/// The message never contains the account key, a signature or a SAS.
/// </summary>
public class StorageRequestException : RequestFailedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="errorCode">The storage error code, when the service sent one.</param>
    /// <param name="operation">What was attempted, for example <c>Put blob</c>.</param>
    /// <param name="resource">What it was attempted on, for example <c>state/environments/prod/state.json</c>.</param>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StorageRequestException(int status, string? errorCode, string operation, string resource, string message, Exception? innerException = null)
        : base(status, message, errorCode, innerException)
    {
        Operation = operation;
        Resource = resource;
    }

    /// <summary>The operation that failed, for example <c>Put blob</c>.</summary>
    public string Operation { get; }

    /// <summary>The queue, container or blob the operation addressed (never a URL with credentials).</summary>
    public string Resource { get; }
}
