namespace GitOps.Core.Ports;

/// <summary>Whether retrying an ARM failure can help.</summary>
public enum ArmErrorKind
{
    /// <summary>Retrying the same request later can succeed (429, 5xx, conflicts with another operation).</summary>
    Transient,

    /// <summary>The request itself is wrong or not allowed; retrying will fail again until git or Azure changes.</summary>
    Fatal,
}

/// <summary>
/// An ARM request or asynchronous operation that failed, with what a person needs to act on it.
/// </summary>
public sealed class ArmRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArmRequestException(
        int status,
        string code,
        string message,
        ArmErrorKind kind,
        string? correlationId = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Status = status;
        Code = code;
        ArmMessage = message;
        Kind = kind;
        CorrelationId = correlationId;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status (0 when the failure came from an async operation's status body).</summary>
    public int Status { get; }

    /// <summary>The ARM error code, e.g. <c>InvalidParameter</c>.</summary>
    public string Code { get; }

    /// <summary>The ARM error message.</summary>
    public string ArmMessage { get; }

    /// <summary>Transient or fatal, from the one classification table.</summary>
    public ArmErrorKind Kind { get; }

    /// <summary>The <c>x-ms-correlation-request-id</c>, for support cases.</summary>
    public string? CorrelationId { get; }

    /// <summary>How long ARM asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when retrying later can help.</summary>
    public bool IsTransient => Kind == ArmErrorKind.Transient;

    /// <summary>
    /// How long ARM asked the caller to hold off: a positive <see cref="RetryAfter"/>, or zero for a throttle (429) that
    /// named no time (the run's minimum wait applies then); null when ARM asked for nothing. <c>Retry-After: 0</c> on
    /// anything but a 429 means "try again now", which the queue's ordinary retry already does.
    /// </summary>
    public TimeSpan? AskedWait => RetryAfter is { } after && after > TimeSpan.Zero ? after : Status == 429 ? TimeSpan.Zero : null;
}
