using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;

namespace GitOps.Functions.Tests;

/// <summary>Invocation bodies shaped exactly like the Functions host's (functions-and-storage.md §1.3).</summary>
internal static class Payloads
{
    public static string Job(string environment, string? commit, string? jobId = null) => ReconcileJobJson.Serialize(new ReconcileJob
    {
        JobId = jobId ?? Guid.NewGuid().ToString("N"),
        Repository = HandlerFixture.RepositoryName,
        Environment = environment,
        Commit = commit,
        Trigger = RunTrigger.Manual,
        EnqueuedAt = DateTimeOffset.UtcNow,
        RequestedBy = "handler-tests",
    });

    /// <summary>As captured from a real host (queue-string.json): the message a JSON string twice, Id/PopReceipt quoted, DequeueCount a string.</summary>
    public static string QueueDoubleEncoded(string message, int dequeueCount = 1) => Envelope(
        JsonValue.Create(JsonSerializer.Serialize(message)),
        new JsonObject
        {
            ["DequeueCount"] = dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ExpirationTime"] = "2026-11-28T06:00:06+00:00",
            ["Id"] = "\"a0004923-f050-417a-9742-6d7c7b984134\"",
            ["InsertionTime"] = "2026-11-21T06:00:06+00:00",
            ["NextVisibleTime"] = "2026-11-21T06:10:18+00:00",
            ["PopReceipt"] = "\"AgAAAAMAAAAAAAAA8d5gQex+2AE=\"",
            ["sys"] = Sys("reconcile"),
        });

    /// <summary>As the docs show it: the message once encoded, DequeueCount a number.</summary>
    public static string QueueSingleEncoded(string message, int dequeueCount = 1) => Envelope(
        JsonValue.Create(message),
        new JsonObject { ["DequeueCount"] = dequeueCount, ["Id"] = Guid.NewGuid().ToString(), ["sys"] = Sys("reconcile") });

    public static string QueueBase64(string message) => QueueSingleEncoded(Convert.ToBase64String(Encoding.UTF8.GetBytes(message)));

    public static string QueueObject(string message) => Envelope(
        JsonNode.Parse(message),
        new JsonObject { ["DequeueCount"] = 1, ["sys"] = Sys("reconcile") });

    /// <summary>timer.json: ScheduleStatus null.</summary>
    public static string TimerWithoutStatus() => Timer(null);

    /// <summary>A timer with a persisted schedule status (useMonitor).</summary>
    public static string TimerWithStatus() => Timer(new JsonObject
    {
        ["Last"] = "2026-11-21T08:00:00+00:00",
        ["Next"] = "2026-11-21T08:01:00+00:00",
        ["LastUpdated"] = "2026-11-21T08:00:00+00:00",
    });

    private static string Timer(JsonObject? status) => new JsonObject
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = status,
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = Sys("drift") },
    }.ToJsonString();

    private static string Envelope(JsonNode? message, JsonObject metadata) => new JsonObject
    {
        ["Data"] = new JsonObject { ["message"] = message },
        ["Metadata"] = metadata,
    }.ToJsonString();

    private static JsonObject Sys(string method) => new()
    {
        ["MethodName"] = method,
        ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O"),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };
}
