using GitOps.Core.Planning;

namespace GitOps.Cli.Output;

/// <summary>
/// The markdown form of a plan, fit for a pull-request comment: a summary line, a table of changes, and the field
/// differences folded in a details block so a large plan does not flood the conversation.
/// </summary>
internal static class PlanMarkdownWriter
{
    public static void Write(TextWriter writer, PlanResult plan)
    {
        var s = plan.Summary;
        writer.WriteLine($"### GitOps plan for `{plan.Environment}`");
        writer.WriteLine();
        writer.WriteLine($"**{s.Create}** to create · **{s.Update}** to update · **{s.Delete}** to delete · **{s.Detach}** to detach · **{s.Drift}** drifted · {s.Noop} unchanged");
        writer.WriteLine();

        var acting = plan.Changes.Where(c => c.Action != PlanAction.Noop).ToList();
        if (acting.Count == 0)
        {
            writer.WriteLine("No changes: Azure matches git.");
        }
        else
        {
            writer.WriteLine("| Action | Resource | Type | Note |");
            writer.WriteLine("|---|---|---|---|");
            foreach (var change in acting)
            {
                writer.WriteLine($"| {Icon(change.Action)} {change.Action.ToWireName()} | `{Cell(ResourceLabel.Of(change))}` | {Cell(change.Type)} | {Cell(change.Reason ?? string.Empty)} |");
            }

            var withDiffs = acting.Where(c => c.Diffs.Count > 0).ToList();
            if (withDiffs.Count > 0)
            {
                writer.WriteLine();
                writer.WriteLine("<details><summary>Field differences</summary>");
                writer.WriteLine();
                foreach (var change in withDiffs)
                {
                    writer.WriteLine($"**{Icon(change.Action)} `{Cell(ResourceLabel.Of(change))}`** ({Cell(change.Type)})");
                    writer.WriteLine();
                    writer.WriteLine("| Field | Live | Desired |");
                    writer.WriteLine("|---|---|---|");
                    foreach (var diff in change.Diffs)
                    {
                        writer.WriteLine($"| `{Cell(diff.Path)}` | `{Cell(ResourceLabel.Value(diff.Live, diff.Redacted))}` | `{Cell(ResourceLabel.Value(diff.Desired, diff.Redacted))}` |");
                    }

                    writer.WriteLine();
                }

                writer.WriteLine("</details>");
            }
        }

        foreach (var note in plan.Notes)
        {
            writer.WriteLine();
            writer.WriteLine($"> **Note:** {note}");
        }
    }

    private static string Icon(PlanAction action) => action switch
    {
        PlanAction.Create => "🟢",
        PlanAction.Update => "🟡",
        PlanAction.Delete => "🔴",
        PlanAction.Detach => "⚪",
        PlanAction.Drift => "🟠",
        _ => "",
    };

    // Pipes end a table cell and backticks end inline code; newlines end the row.
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
