using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// The markdown of a preview: one section per environment (outcome, counts, a table of changes, field differences
/// folded in a details block, policy warnings, errors), and the whole comment with its hidden marker.
/// </summary>
public static class PreviewMarkdown
{
    /// <summary>The most characters one environment's section takes; a longer one is cut with a note.</summary>
    public const int MaxSectionLength = 20_000;

    /// <summary>The most characters of a whole comment (GitHub's limit is 65,536).</summary>
    public const int MaxCommentLength = 60_000;

    /// <summary>One environment's section.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="outcome">How the preview ended.</param>
    /// <param name="summary">The run's summary.</param>
    /// <param name="plan">The (redacted) plan, when one was made.</param>
    /// <param name="errors">Validation errors, policy denials, failures.</param>
    /// <param name="warnings">Policy warnings and other notes.</param>
    /// <param name="runId">The preview's run id.</param>
    public static string Section(string environment, RunOutcome outcome, string summary, RecordedPlan? plan, IReadOnlyList<string> errors, IReadOnlyList<string> warnings, string runId)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        var text = new StringBuilder();
        var state = PreviewRecord.StateOf(outcome);
        text.Append("### ").Append(Icon(state)).Append(" `").Append(Cell(environment)).Append("`: ").Append(Verdict(outcome)).Append('\n').Append('\n');
        text.Append(Line(summary)).Append('\n').Append('\n');
        if (plan is not null)
        {
            var s = plan.Summary;
            text.Append($"**{s.Create}** to create · **{s.Update}** to update · **{s.Delete}** to delete · **{s.Detach}** to detach · **{s.Drift}** drifted · {s.Noop} unchanged\n\n");
            var acting = plan.Changes.Where(c => c.Action != PlanAction.Noop).ToList();
            if (acting.Count > 0)
            {
                text.Append("| Action | Resource | Type | Note |\n|---|---|---|---|\n");
                foreach (var change in acting)
                {
                    text.Append($"| {ActionIcon(change.Action)} {change.Action.ToWireName()} | `{Cell(Label(change.Id, change.Type))}` | {Cell(change.Type)} | {Cell(change.Reason ?? string.Empty)} |\n");
                }

                var withDiffs = acting.Where(c => c.Diffs.Count > 0).ToList();
                if (withDiffs.Count > 0)
                {
                    text.Append("\n<details><summary>Field differences</summary>\n\n");
                    foreach (var change in withDiffs)
                    {
                        text.Append($"**{ActionIcon(change.Action)} `{Cell(Label(change.Id, change.Type))}`** ({Cell(change.Type)})\n\n| Field | Live | Desired |\n|---|---|---|\n");
                        foreach (var diff in change.Diffs)
                        {
                            text.Append($"| `{Cell(diff.Path)}` | `{Cell(Value(diff.Live, diff.Redacted))}` | `{Cell(Value(diff.Desired, diff.Redacted))}` |\n");
                        }

                        text.Append('\n');
                    }

                    text.Append("</details>\n");
                }
            }

            foreach (var note in plan.Notes)
            {
                text.Append("\n> **Note:** ").Append(Line(note)).Append('\n');
            }
        }

        AppendList(text, "Errors", errors);
        AppendList(text, "Warnings", warnings);
        text.Append("\n<sub>Run `").Append(Cell(runId)).Append("`</sub>\n");
        return Cut(text.ToString(), MaxSectionLength);
    }

    /// <summary>The section of an environment whose preview has not finished at this head.</summary>
    public static string Pending(string environment) =>
        $"### {Icon(PreviewStatusState.Pending)} `{Cell(environment)}`: previewing…\n\nThe plan appears here when the preview has run.\n";

    /// <summary>The whole comment: the marker, a header, then each environment's section in order.</summary>
    /// <param name="head">The pull request's current head and affected environments.</param>
    /// <param name="sections">Each affected environment's section at that head, by environment (missing: pending).</param>
    /// <param name="defaultBranch">The branch the definitions and policy come from.</param>
    public static string Comment(PreviewHead head, IReadOnlyDictionary<string, string> sections, string defaultBranch)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(sections);
        var pr = head.PullRequest;
        var text = new StringBuilder(PreviewComment.Marker).Append('\n');
        text.Append("## GitOps preview\n\n");
        text.Append($"Pull request #{pr.Number} at `{Short(pr.HeadSha)}` into `{Cell(pr.TargetBranch)}`");
        if (head.DefinitionsSha is { } definitions)
        {
            text.Append($" · environments and policy from `{Cell(defaultBranch)}` at `{Short(definitions)}`");
        }

        text.Append("\n\n");
        if (head.Environments.Count == 0)
        {
            text.Append("This pull request changes no environment's folder, `gitops.yaml` or `gitops.policy.yaml` on `").Append(Cell(pr.TargetBranch)).Append("`: nothing to preview.\n");
        }

        var budget = MaxCommentLength - 600;
        foreach (var environment in head.Environments)
        {
            var section = sections.TryGetValue(environment, out var done) ? done : Pending(environment);
            if (text.Length + section.Length > budget)
            {
                text.Append($"\n_The sections of the remaining environments do not fit in one comment; see the `gitops/<environment>` statuses and the run records._\n");
                break;
            }

            text.Append('\n').Append(section);
        }

        text.Append("\n---\n<sub>Updated in place on each push. Live values of resources an environment does not manage yet are not shown. Nothing is applied until the pull request is merged.</sub>\n");
        return text.ToString();
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.Append("\n**").Append(title).Append("**\n\n");
        foreach (var item in items.Take(50))
        {
            text.Append("- ").Append(Line(item)).Append('\n');
        }

        if (items.Count > 50)
        {
            text.Append($"- … and {items.Count - 50} more\n");
        }
    }

    private static string Verdict(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Previewed => "valid, within policy; changes pending",
        RunOutcome.NoChanges => "valid, within policy; no changes",
        RunOutcome.Invalid => "invalid",
        RunOutcome.PolicyDenied => "denied by policy",
        RunOutcome.Refused => "refused",
        RunOutcome.Superseded => "superseded by a newer head",
        _ => "could not be previewed",
    };

    private static string Icon(PreviewStatusState state) => state switch
    {
        PreviewStatusState.Success => "✅",
        PreviewStatusState.Failure => "❌",
        PreviewStatusState.Pending => "⏳",
        _ => "⚠️",
    };

    private static string ActionIcon(PlanAction action) => action switch
    {
        PlanAction.Create => "🟢",
        PlanAction.Update => "🟡",
        PlanAction.Delete => "🔴",
        PlanAction.Detach => "⚪",
        PlanAction.Drift => "🟠",
        _ => string.Empty,
    };

    /// <summary>The ARM name (nested for children) and its resource group: <c>vnet-app/default (rg-app)</c>.</summary>
    internal static string Label(string id, string type)
    {
        var depth = Math.Max(1, type.Split('/').Length - 1);
        var segments = id.TrimEnd('/').Split('/');
        var names = new List<string>();
        for (var i = segments.Length - 1; i > 0 && names.Count < depth; i -= 2)
        {
            names.Insert(0, segments[i]);
        }

        var name = string.Join('/', names);
        const string Marker = "/resourceGroups/";
        var start = id.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (start < 0 || string.Equals(type, "Microsoft.Resources/resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            return name;
        }

        start += Marker.Length;
        var end = id.IndexOf('/', start);
        return $"{name} ({(end < 0 ? id[start..] : id[start..end])})";
    }

    private static string Value(JsonNode? value, bool redacted, int max = 80)
    {
        if (redacted)
        {
            return "(secret)";
        }

        if (value is null)
        {
            return "(absent)";
        }

        var text = value.ToJsonString();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static string Cut(string text, int max) =>
        text.Length <= max ? text : text[..(max - 120)] + "\n\n_This section was cut to fit; the run record holds the whole plan._\n";

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    // No line breaks, and no HTML: text from the repository (messages, names) must not start markup or close the marker.
    private static string Line(string text) =>
        text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    // Pipes end a table cell and backticks end inline code; newlines end the row.
    private static string Cell(string text) =>
        Line(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}
