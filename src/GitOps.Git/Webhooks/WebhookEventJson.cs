using System.Text;
using System.Text.Json;

namespace GitOps.Git.Webhooks;

/// <summary>Writes a <see cref="WebhookEvent"/> as JSON with the field names of the vendored webhook corpus (what <c>gitops webhook inspect</c> prints).</summary>
public static class WebhookEventJson
{
    /// <summary>Serialises the event; fields in a fixed order, nulls written explicitly.</summary>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="indented">Indent the JSON.</param>
    /// <param name="withPullRequest">
    /// Add a <c>pullRequest</c> object for pull-request events (what <c>webhook inspect</c> shows); off by default, so the
    /// record keeps the corpus's exact shape.
    /// </param>
    public static string Serialize(WebhookEvent webhookEvent, bool indented = true, bool withPullRequest = false)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, webhookEvent, withPullRequest);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the event as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, WebhookEvent e) => Write(writer, e, withPullRequest: false);

    private static void Write(Utf8JsonWriter writer, WebhookEvent e, bool withPullRequest)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("provider", e.Provider.ToWireName());
        writer.WriteString("event", e.Event);
        writer.WriteString("deliveryId", e.DeliveryId);
        writer.WriteBoolean("authentic", e.Authentic);
        writer.WriteBoolean("isPush", e.IsPush);
        writer.WriteString("repoFullName", e.RepoFullName);
        WriteList(writer, "cloneUrls", e.CloneUrls);
        writer.WriteString("ref", e.Ref);
        writer.WriteString("branch", e.Branch);
        WriteBool(writer, "tag", e.Tag);
        writer.WriteString("tagName", e.TagName);
        writer.WriteString("before", e.Before);
        writer.WriteString("after", e.After);
        WriteBool(writer, "deleted", e.Deleted);
        writer.WriteString("pusher", e.Pusher);
        WriteList(writer, "changedPaths", e.ChangedPaths);
        writer.WriteBoolean("changedPathsTruncated", e.ChangedPathsTruncated);
        if (withPullRequest && e.PullRequest is { } pullRequest)
        {
            WritePullRequest(writer, pullRequest);
        }

        writer.WriteEndObject();
    }

    private static void WritePullRequest(Utf8JsonWriter writer, WebhookPullRequest pr)
    {
        writer.WriteStartObject("pullRequest");
        writer.WriteString("action", pr.Action);
        writer.WriteBoolean("previewable", pr.Previewable);
        writer.WriteNumber("number", pr.Number);
        writer.WriteString("repoFullName", pr.RepoFullName);
        WriteList(writer, "cloneUrls", pr.CloneUrls);
        writer.WriteString("headSha", pr.HeadSha);
        writer.WriteString("sourceBranch", pr.SourceBranch);
        writer.WriteString("targetBranch", pr.TargetBranch);
        writer.WriteBoolean("fromFork", pr.FromFork);
        writer.WriteString("author", pr.Author);
        writer.WriteString("title", pr.Title);
        writer.WriteEndObject();
    }

    private static void WriteBool(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
