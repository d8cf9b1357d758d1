using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Cli.Output;

/// <summary>
/// The terminal form of a plan: one line per change that does something, the fields that differ under it, and the
/// unchanged resources counted in one line so a large environment still reads at a glance. The one renderer of
/// plans: <c>gitops plan</c> renders the planner's result and <c>gitops runs show</c> a recorded one, the same way.
/// </summary>
internal static class PlanTableWriter
{
    private const int UnchangedListLimit = 10;

    public static void Write(TextWriter writer, PlanResult plan, bool color)
    {
        // The declarations only sharpen labels (nested names, extension scopes); a recorded plan has ids alone.
        var declared = new Dictionary<string, DeclaredResource>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in plan.Changes)
        {
            if (change.Desired is { } desired)
            {
                declared.TryAdd(change.Id, desired);
            }
        }

        Write(writer, RecordedPlan.From(plan), color, declared);
    }

    public static void Write(TextWriter writer, RecordedPlan plan, bool color, IReadOnlyDictionary<string, DeclaredResource>? declared = null)
    {
        string Label(RecordedChange change) => ResourceLabel.Of(change, declared?.GetValueOrDefault(change.Id));
        var ansi = new Ansi(color);
        var s = plan.Summary;
        writer.WriteLine(ansi.Bold($"Plan for environment '{plan.Environment}'") +
            $": {s.Create} to create, {s.Update} to update, {s.Delete} to delete, {s.Detach} to detach, {s.Drift} drifted (not written), {s.Noop} unchanged");
        writer.WriteLine();

        var typeWidth = plan.Changes.Where(c => c.Action != PlanAction.Noop).Select(c => c.Type.Length).DefaultIfEmpty(0).Max();
        foreach (var change in plan.Changes.Where(c => c.Action != PlanAction.Noop))
        {
            var (symbol, paint) = Style(change.Action, ansi);
            writer.WriteLine($"  {paint($"{symbol} {change.Action.ToWireName(),-6}")}  {change.Type.PadRight(typeWidth)}  {Label(change)}");
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
            var names = unchanged.Take(UnchangedListLimit).Select(Label);
            var more = unchanged.Count > UnchangedListLimit ? $", … {unchanged.Count - UnchangedListLimit} more" : string.Empty;
            writer.WriteLine(ansi.Dim($"  = {unchanged.Count} unchanged: {string.Join(", ", names)}{more}"));
        }
        else if (s.Noop > 0)
        {
            // A run record counts unchanged resources instead of listing them.
            writer.WriteLine(ansi.Dim($"  = {s.Noop} unchanged"));
        }

        if (plan.Unlisted > 0)
        {
            writer.WriteLine(ansi.Dim($"  … {plan.Unlisted} more change(s) not listed in the record (gitops runs show RUN-ID --full)"));
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
