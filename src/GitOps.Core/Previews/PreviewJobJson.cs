using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// The wire forms of <see cref="PullRequestJob"/> (<c>kind: "pullRequest"</c>) and <see cref="PreviewJob"/>
/// (<c>kind: "preview"</c>) on the reconcile queue, beside <see cref="ReconcileJobJson"/> and <see cref="PushJobJson"/>:
/// <c>{ kind, jobId, repository, environment?, environments?, pullRequest: { provider, number, headSha, targetBranch,
/// sourceBranch, fromFork, author, title }, deliveryId, enqueuedAt }</c>, Base64 on the queue like the others.
/// </summary>
public static class PreviewJobJson
{
    /// <summary>The <c>kind</c> of a pull-request fan-out job.</summary>
    public const string PullRequestKind = "pullRequest";

    /// <summary>The <c>kind</c> of a preview job.</summary>
    public const string PreviewKind = "preview";

    /// <summary>Serializes a pull-request job.</summary>
    public static string Serialize(PullRequestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JsonObject
        {
            ["kind"] = PullRequestKind,
            ["jobId"] = job.JobId,
            ["repository"] = job.Repository,
            ["pullRequest"] = Write(job.PullRequest),
            ["deliveryId"] = job.DeliveryId,
            ["enqueuedAt"] = job.EnqueuedAt.ToString("O", CultureInfo.InvariantCulture),
        }.ToJsonString();
    }

    /// <summary>Serializes a preview job.</summary>
    public static string Serialize(PreviewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JsonObject
        {
            ["kind"] = PreviewKind,
            ["jobId"] = job.JobId,
            ["repository"] = job.Repository,
            ["environment"] = job.Environment,
            ["environments"] = new JsonArray(job.Environments.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
            ["pullRequest"] = Write(job.PullRequest),
            ["deliveryId"] = job.DeliveryId,
            ["enqueuedAt"] = job.EnqueuedAt.ToString("O", CultureInfo.InvariantCulture),
        }.ToJsonString();
    }

    /// <summary>Reads a pull-request job; null when the text is another kind of message.</summary>
    /// <exception cref="FormatException">It says it is one, but a field is missing or wrong.</exception>
    public static PullRequestJob? TryParsePullRequest(string text)
    {
        if (QueueMessageJson.ReadKind(text, PullRequestKind) is not { } json)
        {
            return null;
        }

        return new PullRequestJob
        {
            JobId = Required(json, "jobId"),
            Repository = Name(json, "repository"),
            PullRequest = ReadPullRequest(json["pullRequest"]),
            DeliveryId = Optional(json, "deliveryId"),
            EnqueuedAt = Time(json),
        };
    }

    /// <summary>Reads a preview job; null when the text is another kind of message.</summary>
    /// <exception cref="FormatException">It says it is one, but a field is missing or wrong.</exception>
    public static PreviewJob? TryParsePreview(string text)
    {
        if (QueueMessageJson.ReadKind(text, PreviewKind) is not { } json)
        {
            return null;
        }

        var environments = json["environments"] is JsonArray list
            ? list.Select(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String && EnvironmentKeys.IsValidName(v.GetValue<string>())
                ? v.GetValue<string>()
                : throw new FormatException("Field 'environments' must hold environment names.")).ToList()
            : [];
        return new PreviewJob
        {
            JobId = Required(json, "jobId"),
            Repository = Name(json, "repository"),
            Environment = Name(json, "environment"),
            Environments = environments,
            PullRequest = ReadPullRequest(json["pullRequest"]),
            DeliveryId = Optional(json, "deliveryId"),
            EnqueuedAt = Time(json),
        };
    }

    /// <summary>Base64(UTF-8 JSON), the queue message text.</summary>
    public static string ToQueueText(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static JsonObject Write(PullRequestRef pr) => new()
    {
        ["provider"] = pr.Provider,
        ["number"] = pr.Number,
        ["headSha"] = pr.HeadSha,
        ["targetBranch"] = pr.TargetBranch,
        ["sourceBranch"] = pr.SourceBranch,
        ["fromFork"] = pr.FromFork,
        ["author"] = pr.Author,
        ["title"] = pr.Title,
    };

    private static PullRequestRef ReadPullRequest(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            throw new FormatException("Field 'pullRequest' is missing or not an object.");
        }

        var number = json["number"] is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<long>(out var value) && PullRequestRef.IsValidNumber(value)
            ? value
            : throw new FormatException("Field 'pullRequest.number' is missing or not a pull-request number.");
        var head = Required(json, "headSha");
        if (!PullRequestRef.IsSha(head))
        {
            throw new FormatException($"Field 'pullRequest.headSha' is '{Shorten(head)}'; expected a 40- or 64-character hex commit id.");
        }

        return new PullRequestRef
        {
            Provider = Required(json, "provider"),
            Number = number,
            HeadSha = head.ToLowerInvariant(),
            TargetBranch = Required(json, "targetBranch"),
            SourceBranch = Optional(json, "sourceBranch"),
            FromFork = json["fromFork"] is JsonValue f && f.GetValueKind() == JsonValueKind.True,
            Author = Optional(json, "author"),
            Title = Optional(json, "title"),
        };
    }

    private static DateTimeOffset Time(JsonObject json) =>
        DateTimeOffset.TryParse(Required(json, "enqueuedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : throw new FormatException("Field 'enqueuedAt' is not an ISO-8601 time.");

    private static string Name(JsonObject json, string name)
    {
        var value = Required(json, name);
        return EnvironmentKeys.IsValidName(value) || EnvironmentCatalogName(value) ? value : throw new FormatException($"Field '{name}' is not a plain name.");
    }

    // Repository names follow the settings' rule (any configured name); environment names the stricter one.
    private static bool EnvironmentCatalogName(string value) => Reconcile.EnvironmentCatalog.IsPlainName(value);

    private static string Required(JsonObject json, string name) =>
        Optional(json, name) ?? throw new FormatException($"Field '{name}' is missing or empty.");

    private static string? Optional(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } s ? s : null;

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
