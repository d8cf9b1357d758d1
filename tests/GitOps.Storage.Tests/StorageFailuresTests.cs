using Azure;

namespace GitOps.Storage.Tests;

/// <summary>The one classification the queue listener and the events handler use to tell an outage from a bug.</summary>
public sealed class StorageFailuresTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new RequestFailedException(503, "Server Busy"), true },
        { new HttpRequestException("connection refused"), true },
        { new IOException("connection reset"), true },
        { new TimeoutException("the operation timed out"), true },
        { new AggregateException(new IOException("a"), new RequestFailedException(500, "b")), true },
        { new AggregateException(new IOException("a"), new InvalidOperationException("b")), false },
        { new InvalidOperationException("a bug"), false },
        { new OperationCanceledException(), false },
        { new ArgumentException("a bad name"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_An_Unreachable_Or_Failing_Service_Is_An_Outage(Exception error, bool outage) =>
        Assert.Equal(outage, StorageFailures.IsOutage(error));
}
