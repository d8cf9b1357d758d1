namespace GitOps.Storage;

/// <summary>Which failures of a storage call are the service being away, which waiting can cure.</summary>
public static class StorageFailures
{
    /// <summary>
    /// True when <paramref name="error"/> is storage unreachable or answering with an error (the service's answer, a
    /// dropped connection, a timeout), or an aggregate of only such failures; false for everything else (a bug, a
    /// cancellation), which must not be retried as if it were an outage.
    /// </summary>
    /// <param name="error">The failure.</param>
    public static bool IsOutage(Exception error) =>
        error is Azure.RequestFailedException or HttpRequestException or IOException or TimeoutException
        || (error is AggregateException aggregate && aggregate.InnerExceptions.All(IsOutage));
}
