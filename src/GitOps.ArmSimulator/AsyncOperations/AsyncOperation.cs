using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.AsyncOperations;

/// <summary>Whether an operation creates/updates or deletes its resource.</summary>
internal enum AsyncOperationAction
{
    Put,
    Delete,
}

/// <summary>A long-running operation. It advances one step each time it is observed (a status poll or a GET of its resource).</summary>
internal sealed class AsyncOperation
{
    public AsyncOperation(string id, string resourceKey, string subscriptionId, AsyncOperationAction action, ArmAsyncStyle style,
        int pollsRemaining, DateTimeOffset startTime)
    {
        Id = id;
        ResourceKey = resourceKey;
        SubscriptionId = subscriptionId;
        Action = action;
        Style = style;
        PollsRemaining = pollsRemaining;
        StartTime = startTime;
    }

    public string Id { get; }

    public string ResourceKey { get; }

    public string SubscriptionId { get; }

    public AsyncOperationAction Action { get; }

    public ArmAsyncStyle Style { get; }

    public int PollsRemaining { get; set; }

    public DateTimeOffset StartTime { get; }

    public DateTimeOffset? EndTime { get; set; }

    /// <summary><c>InProgress</c>, <c>Succeeded</c> or <c>Failed</c>.</summary>
    public string Status { get; set; } = "InProgress";

    public JsonObject? Error { get; set; }

    /// <summary>The final resource body of a finished PUT, so the Location URL can answer with it.</summary>
    public JsonObject? Result { get; set; }

    public bool IsRunning => Status == "InProgress";
}
