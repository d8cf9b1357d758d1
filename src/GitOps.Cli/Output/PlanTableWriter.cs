using GitOps.Core.Planning;

namespace GitOps.Cli.Output;

/// <summary>
/// The terminal form of a plan: one line per change that does something, the fields that differ under it, and the
/// unchanged resources counted in one line so a large environment still reads at a glance.
/// </summary>
internal static class PlanTableWriter
{
    private const int UnchangedListLimit = 10;

    public static void Write(TextWriter writer, PlanResult plan, bool color)
    {
        var ansi = new Ansi(color);
        var s = plan.Summary;
        writer.WriteLine(ansi.Bold($"Plan for environment '{plan.Environment}'") +
            $": {s.Create} to create, {s.Update} to update, {s.Delete} to delete, {s.Detach} to detach, {s.Drift} drifted (not written), {s.Noop} unchanged");
        writer.WriteLine();

        var typeWidth = plan.Changes.Where(c => c.Action != PlanAction.Noop).Select(c => c.Type.Length).DefaultIfEmpty(0).Max();
        foreach (var change in plan.Changes.Where(c => c.Action != PlanAction.Noop))
        {
            var (symbol, paint) = Style(change.Action, ansi);
            writer.WriteLine($"  {paint($"{symbol} {change.Action.ToWireName(),-6}")}  {change.Type.PadRight(typeWidth)}  {ResourceLabel.Of(change)}");
            if (change.Reason is not null)
            {
                writer.WriteLine($"           {ansi.Dim(change.Reason)}");
            }

            foreach (var diff in change.Diffs)
            {
                writer.WriteLine($"           {ansi.Cyan(diff.Path)}: {ansi.Red(ResourceLabel.Value(diff.Live, diff.Redacted))} → {ansi.Green(ResourceLabel.Value(diff.Desired, diff.Redacted))}");
            }
        }

        var unchanged = plan.Changes.Where(c => c.Action == PlanAction.Noop).ToList();
        if (unchanged.Count > 0)
        {
            var names = unchanged.Take(UnchangedListLimit).Select(ResourceLabel.Of);
            var more = unchanged.Count > UnchangedListLimit ? $", … {unchanged.Count - UnchangedListLimit} more" : string.Empty;
            writer.WriteLine(ansi.Dim($"  = {unchanged.Count} unchanged: {string.Join(", ", names)}{more}"));
        }

        foreach (var note in plan.Notes)
        {
            writer.WriteLine();
            writer.WriteLine(ansi.Yellow($"Note: {note}"));
        }

        if (plan.Changes.Count > 0)
        {
            writer.WriteLine();
        }

        writer.WriteLine(!s.HasChanges
            ? ansi.Green("No changes: Azure matches git.")
            : s.HasWrites
                ? $"{s.Create + s.Update + s.Delete} write(s) pending. Fields read as: live → desired."
                : "Differences found, none to write (drift is reported only). Fields read as: live → desired.");
    }

    private static (string Symbol, Func<string, string> Paint) Style(PlanAction action, Ansi ansi) => action switch
    {
        PlanAction.Create => ("+", ansi.Green),
        PlanAction.Update => ("~", ansi.Yellow),
        PlanAction.Delete => ("-", ansi.Red),
        PlanAction.Detach => ("/", ansi.Dim),
        PlanAction.Drift => ("!", ansi.Yellow),
        _ => ("=", ansi.Dim),
    };
}
