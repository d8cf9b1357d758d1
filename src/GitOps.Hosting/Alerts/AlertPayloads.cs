using System.Text.Json.Nodes;
using GitOps.Core.Alerts;

namespace GitOps.Hosting.Alerts;

/// <summary>The JSON bodies posted to each sink type.</summary>
public static class AlertPayloads
{
    /// <summary>The body for a sink type.</summary>
    public static JsonObject For(AlertSinkType type, Alert alert) => type switch
    {
        AlertSinkType.Teams => Teams(alert),
        AlertSinkType.Slack => Slack(alert),
        _ => Webhook(alert),
    };

    /// <summary>Generic: <c>{kind, environment, runId, commit, summary, changedBy, details, time}</c>, kind in camelCase; <c>changedBy</c> only on drift alerts.</summary>
    public static JsonObject Webhook(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = new JsonObject
        {
            ["kind"] = KindName(alert.Kind),
            ["environment"] = alert.Environment,
            ["runId"] = alert.RunId,
            ["commit"] = alert.Commit,
            ["summary"] = alert.Summary,
            ["details"] = new JsonArray(alert.Details.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["time"] = alert.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (alert.ChangedBy is { } changedBy)
        {
            body["changedBy"] = changedBy;
        }

        return body;
    }

    /// <summary>
    /// Teams: the message-with-attachments form that Teams Workflows ("Post to a channel when a webhook request is
    /// received") and the older incoming webhooks both accept, holding one Adaptive Card 1.4.
    /// </summary>
    public static JsonObject Teams(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["size"] = "Medium", ["weight"] = "Bolder", ["wrap"] = true, ["text"] = Title(alert) },
            new JsonObject { ["type"] = "TextBlock", ["wrap"] = true, ["text"] = alert.Summary },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(Facts(alert).Select(f => (JsonNode?)new JsonObject { ["title"] = f.Name, ["value"] = f.Value }).ToArray()),
            },
        };
        foreach (var detail in alert.Details)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["wrap"] = true, ["isSubtle"] = true, ["text"] = "- " + detail });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["content"] = new JsonObject
                    {
                        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                        ["type"] = "AdaptiveCard",
                        ["version"] = "1.4",
                        ["body"] = body,
                    },
                },
            },
        };
    }

    /// <summary>Slack: <c>text</c> (the notification fallback) plus header, section and context blocks.</summary>
    public static JsonObject Slack(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(Title(alert), 150) } },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(alert.Summary, 3000) } },
            new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(Facts(alert).Select(f => (JsonNode?)new JsonObject { ["type"] = "plain_text", ["text"] = $"{f.Name}: {f.Value}" }).ToArray()),
            },
        };
        if (alert.Details.Count > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(string.Join("\n", alert.Details.Select(d => "• " + d)), 3000) },
            });
        }

        return new JsonObject { ["text"] = $"{Title(alert)}: {alert.Summary}", ["blocks"] = blocks };
    }

    /// <summary>The kind's wire name (camelCase, as in run records).</summary>
    public static string KindName(AlertKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static string Title(Alert alert) => alert.Kind switch
    {
        AlertKind.RunFailed => $"GitOps: run failed in {alert.Environment}",
        AlertKind.DriftDetected => $"GitOps: drift in {alert.Environment}",
        AlertKind.DriftRecurring => $"GitOps: drift keeps coming back in {alert.Environment}",
        AlertKind.JobPoisoned => $"GitOps: job given up in {alert.Environment}",
        AlertKind.CommitRefused => $"GitOps: unreviewed commit refused in {alert.Environment}",
        AlertKind.SyncWindowOverridden => $"GitOps: sync window overridden in {alert.Environment}",
        AlertKind.ResourceUnhealthy => $"GitOps: unhealthy resources in {alert.Environment}",
        _ => $"GitOps: suspension overdue in {alert.Environment}",
    };

    private static IEnumerable<(string Name, string Value)> Facts(Alert alert)
    {
        yield return ("Environment", alert.Environment);
        if (alert.RunId is not null)
        {
            yield return ("Run", alert.RunId);
        }

        if (alert.Commit is not null)
        {
            yield return ("Commit", alert.Commit.Length > 12 ? alert.Commit[..12] : alert.Commit);
        }

        if (alert.ChangedBy is not null)
        {
            yield return ("Changed by", alert.ChangedBy);
        }

        yield return ("Time", alert.Time.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
