using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Runs;

/// <summary>
/// The wire form of a <see cref="ReconcileJob"/>:
/// <c>{ "jobId", "repository", "environment", "commit" (null = branch tip), "trigger" (push|drift|manual|retry|rollback),
/// "deliveryId", "enqueuedAt", "requestedBy", "throttledRetries", "throttledSince", "windowOverrideReason", "scope",
/// "continuesRun", "segment" }</c>; the throttle fields only on a job re-enqueued because ARM throttled its run, the
/// override only on a manual or rollback job sent with <c>--override-window</c>; <c>"scope": "events"</c> only on an
/// event-driven drift job; the continuation only on the follow-up job of a run that spent its time budget. On the queue
/// it is Base64(UTF-8 JSON), the Functions queue trigger's default.
/// </summary>
public static class ReconcileJobJson
{
    /// <summary>Serializes a job to JSON text.</summary>
    public static string Serialize(ReconcileJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = new JsonObject
        {
            ["jobId"] = job.JobId,
            ["repository"] = job.Repository,
            ["environment"] = job.Environment,
            ["commit"] = job.Commit,
            ["trigger"] = job.Trigger.ToString().ToLowerInvariant(),
            ["deliveryId"] = job.DeliveryId,
            ["enqueuedAt"] = job.EnqueuedAt.ToString("O"),
            ["requestedBy"] = job.RequestedBy,
        };

        if (job.Scope == JobScope.Events)
        {
            json["scope"] = "events";
        }

        if (job.WindowOverrideReason is { } overrideReason)
        {
            json["windowOverrideReason"] = overrideReason;
        }

        if (job.ContinuesRun is { } continues)
        {
            json["continuesRun"] = continues;
            json["segment"] = job.Segment;
        }

        // Written only once set, so a job that was never throttled keeps its original wire form.
        if (job.ThrottledSince is { } since)
        {
            json["throttledRetries"] = job.ThrottledRetries;
            json["throttledSince"] = since.ToString("O");
        }

        return json.ToJsonString();
    }

    /// <summary>
    /// Parses a job from JSON text, or from Base64 of it (tolerant: the Functions host may hand either form over).
    /// </summary>
    /// <exception cref="FormatException">Not a job message; the message says which field is wrong.</exception>
    public static ReconcileJob Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('{'))
        {
            trimmed = DecodeBase64(trimmed);
        }

        JsonObject json;
        try
        {
            json = JsonNode.Parse(trimmed) as JsonObject ?? throw new FormatException("A reconcile job must be a JSON object.");
        }
        catch (JsonException error)
        {
            throw new FormatException($"A reconcile job must be JSON: {error.Message}", error);
        }

        var trigger = Required(json, "trigger");
        // A preview is its own job kind (PreviewJobJson), never a reconcile: a reconcile job saying "preview" is refused.
        if (!Enum.TryParse<RunTrigger>(trigger, ignoreCase: true, out var parsedTrigger) || parsedTrigger == RunTrigger.Preview || !Enum.IsDefined(parsedTrigger) || trigger.Any(char.IsDigit))
        {
            throw new FormatException($"Field 'trigger' is '{trigger}'; expected push, drift, manual, retry or rollback.");
        }

        var enqueued = Required(json, "enqueuedAt");
        if (!DateTimeOffset.TryParse(enqueued, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var enqueuedAt))
        {
            throw new FormatException($"Field 'enqueuedAt' is '{enqueued}'; expected an ISO-8601 time.");
        }

        var throttledSince = Optional(json, "throttledSince") is { } since
            ? DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var sinceAt)
                ? sinceAt
                : throw new FormatException($"Field 'throttledSince' is '{since}'; expected an ISO-8601 time.")
            : (DateTimeOffset?)null;
        var throttledRetries = json["throttledRetries"] is JsonValue retries && retries.GetValueKind() == JsonValueKind.Number && retries.TryGetValue<int>(out var count) && count >= 0
            ? count
            : 0;

        var continuesRun = Optional(json, "continuesRun");
        var segment = json["segment"] is JsonValue segmentValue && segmentValue.GetValueKind() == JsonValueKind.Number && segmentValue.TryGetValue<int>(out var ticket) ? ticket : 0;
        if (continuesRun is not null && segment < 2)
        {
            throw new FormatException($"Field 'segment' is {segment}; a follow-up job (continuesRun) names a segment of 2 or more.");
        }
        var scope = Optional(json, "scope") switch
        {
            null or "environment" => JobScope.Environment,
            "events" when parsedTrigger == RunTrigger.Drift => JobScope.Events,
            "events" => throw new FormatException("Field 'scope' is 'events', which only a drift job may carry."),
            var other => throw new FormatException($"Field 'scope' is '{other}'; expected environment or events."),
        };

        var commit = Optional(json, "commit");
        if (commit is not null && !IsSha(commit))
        {
            throw new FormatException($"Field 'commit' is '{commit}'; expected a 40-character (or 64 for SHA-256) hex commit id, or null for the branch tip.");
        }

        return new ReconcileJob
        {
            JobId = Required(json, "jobId"),
            Repository = Required(json, "repository"),
            Environment = Required(json, "environment"),
            Commit = commit,
            Trigger = parsedTrigger,
            DeliveryId = Optional(json, "deliveryId"),
            EnqueuedAt = enqueuedAt,
            RequestedBy = Optional(json, "requestedBy"),
            ThrottledRetries = throttledRetries,
            ThrottledSince = throttledSince,
            WindowOverrideReason = Optional(json, "windowOverrideReason"),
            ContinuesRun = continuesRun,
            Segment = continuesRun is null ? 0 : segment,
            Scope = scope,
        };
    }

    /// <summary>Base64(UTF-8 JSON), the queue message text.</summary>
    public static string ToQueueText(ReconcileJob job) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Serialize(job)));

    private static bool IsSha(string value) =>
        value.Length is 40 or 64 && value.All(Uri.IsHexDigit);

    private static string DecodeBase64(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException error)
        {
            throw new FormatException("A reconcile job must be JSON or Base64 of JSON.", error);
        }
    }

    private static string Required(JsonObject json, string name) =>
        Optional(json, name) ?? throw new FormatException($"Field '{name}' is missing or empty.");

    private static string? Optional(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } s
            ? s
            : null;
}
