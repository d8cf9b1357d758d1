using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Runs;

/// <summary>
/// The wire form of a <see cref="PushJob"/> on the reconcile queue: <c>{ "kind": "push", "jobId", "provider",
/// "repository", "branch", "before", "after", "changedPaths", "changedPathsTruncated", "deliveryId", "pusher",
/// "enqueuedAt" }</c>, Base64-encoded like <see cref="ReconcileJobJson"/>. The <c>kind</c> field tells the two apart.
/// </summary>
public static class PushJobJson
{
    /// <summary>The value of <c>kind</c>.</summary>
    public const string Kind = "push";

    /// <summary>Serializes a push job.</summary>
    public static string Serialize(PushJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var paths = job.ChangedPaths is { Count: <= PushJob.MaxChangedPaths } list
            ? new JsonArray(list.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray())
            : null;
        return new JsonObject
        {
            ["kind"] = Kind,
            ["jobId"] = job.JobId,
            ["provider"] = job.Provider,
            ["repository"] = job.Repository,
            ["branch"] = job.Branch,
            ["before"] = job.Before,
            ["after"] = job.After,
            ["changedPaths"] = paths,
            ["changedPathsTruncated"] = job.ChangedPathsTruncated,
            ["deliveryId"] = job.DeliveryId,
            ["pusher"] = job.Pusher,
            ["enqueuedAt"] = job.EnqueuedAt.ToString("O", CultureInfo.InvariantCulture),
        }.ToJsonString();
    }

    /// <summary>
    /// Reads a push job from queue text (JSON or Base64 of it); null when the text is some other message (a reconcile job).
    /// </summary>
    /// <exception cref="FormatException">It says it is a push job but a field is missing or wrong; the message names it.</exception>
    public static PushJob? TryParse(string text)
    {
        if (QueueMessageJson.ReadKind(text, Kind) is not { } json)
        {
            return null;
        }

        var after = Required(json, "after");
        if (after.Length is not (40 or 64) || !after.All(Uri.IsHexDigit))
        {
            throw new FormatException($"Field 'after' is '{after}'; expected a 40- or 64-character hex commit id.");
        }

        if (!DateTimeOffset.TryParse(Required(json, "enqueuedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var enqueuedAt))
        {
            throw new FormatException("Field 'enqueuedAt' is not an ISO-8601 time.");
        }

        return new PushJob
        {
            JobId = Required(json, "jobId"),
            Provider = Required(json, "provider"),
            Repository = Required(json, "repository"),
            Branch = Required(json, "branch"),
            Before = Optional(json, "before"),
            After = after,
            ChangedPaths = json["changedPaths"] is JsonArray paths
                ? paths.Select(p => p is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new FormatException("Field 'changedPaths' must hold strings.")).ToList()
                : null,
            ChangedPathsTruncated = json["changedPathsTruncated"] is JsonValue t && t.GetValueKind() == JsonValueKind.True,
            DeliveryId = Optional(json, "deliveryId"),
            Pusher = Optional(json, "pusher"),
            EnqueuedAt = enqueuedAt,
        };
    }

    private static string Required(JsonObject json, string name) =>
        Optional(json, name) ?? throw new FormatException($"Push job field '{name}' is missing or empty.");

    private static string? Optional(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } s ? s : null;
}
