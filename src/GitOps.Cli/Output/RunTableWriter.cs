using System.Globalization;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Cli.Output;

/// <summary>Human forms of run records.</summary>
internal static class RunTableWriter
{
    public static void WriteList(TextWriter writer, IReadOnlyList<RunSummary> runs, bool color)
    {
        var ansi = new Ansi(color);
        if (runs.Count == 0)
        {
            writer.WriteLine("No runs yet.");
            return;
        }

        var envWidth = Math.Max(11, runs.Max(r => r.EnvironmentKey.Length));
        writer.WriteLine(ansi.Bold($"{"STARTED (UTC)",-19}  {"ENVIRONMENT".PadRight(envWidth)}  {"TRIGGER",-8}  {"COMMIT",-7}  {"OUTCOME",-13}  RUN ID"));
        foreach (var run in runs)
        {
            writer.WriteLine($"{run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-19}  {run.EnvironmentKey.PadRight(envWidth)}  {Lower(run.Trigger),-8}  {run.Commit?.ShortSha ?? "-",-7}  {Paint(ansi, run.Outcome, $"{Lower(run.Outcome),-13}")}  {run.RunId}");
            writer.WriteLine(ansi.Dim($"    {run.Summary}"));
        }
    }

    public static void WriteRun(TextWriter writer, RunRecord run, bool color)
    {
        var ansi = new Ansi(color);
        writer.WriteLine(ansi.Bold($"Run {run.RunId}"));
        writer.WriteLine($"  environment  {run.EnvironmentKey}");
        writer.WriteLine($"  outcome      {Paint(ansi, run.Outcome, Lower(run.Outcome))}: {run.Summary}");
        writer.WriteLine($"  trigger      {Lower(run.Trigger)}{(run.RequestedBy is null ? string.Empty : $" by {run.RequestedBy}")}{(run.DeliveryId is null ? string.Empty : $" (delivery {run.DeliveryId})")}, attempt {run.Attempt}");
        if (run.Commit is { } commit)
        {
            writer.WriteLine($"  commit       {commit.Sha} by {commit.Author} at {commit.Time.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
            writer.WriteLine($"               {commit.Subject}");
        }

        var duration = run.FinishedAt is { } end ? $" ({(end - run.StartedAt).TotalSeconds:0.0} s)" : string.Empty;
        writer.WriteLine($"  started      {run.StartedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}{duration}");
        if (run.Window is { } window)
        {
            writer.WriteLine($"  window       {window.Detail}{(window.OverriddenBy is null ? string.Empty : $"; overridden by {window.OverriddenBy}: {window.OverrideReason}")}");
        }

        foreach (var segment in run.Segments ?? [])
        {
            var ended = segment.EndedAt is { } at ? at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "…";
            writer.WriteLine($"  segment {segment.Number,-3} {segment.StartedAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}–{ended} {Lower(segment.End),-11} {segment.Summary}");
        }

        if (run.HealthCounts is { Unlisted: > 0 } healthCounts)
        {
            writer.WriteLine($"  health       {healthCounts.Healthy} healthy, {healthCounts.Unhealthy} unhealthy ({healthCounts.Unlisted} healthy ones observed only are counted, not listed)");
        }

        foreach (var health in run.Health ?? [])
        {
            var text = $"  health       {health.Id}: {Lower(health.Status)} ({health.Detail})";
            writer.WriteLine(health.Status == HealthStatus.Healthy ? text : ansi.Red(text));
        }

        foreach (var error in run.Errors)
        {
            writer.WriteLine(ansi.Red($"  error        {error}"));
        }

        foreach (var warning in run.Warnings)
        {
            writer.WriteLine(ansi.Yellow($"  warning      {warning}"));
        }

        if (run.Plan is { } plan)
        {
            writer.WriteLine();
            PlanTableWriter.Write(writer, plan, color);
        }

        if (run.Results.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Results:");
            ApplyResultWriter.WriteResults(writer, run.Results, ansi);
            if (run.ResultCounts is { Unlisted: > 0 } counts)
            {
                writer.WriteLine(ansi.Dim($"  {counts.Succeeded} succeeded, {counts.Failed} failed, {counts.Skipped} skipped; {counts.Unlisted} not listed (gitops runs show {run.RunId} --full)"));
            }
        }
    }

    private static string Lower<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string Paint(Ansi ansi, RunOutcome outcome, string text) => outcome switch
    {
        RunOutcome.Applied or RunOutcome.NoChanges => ansi.Green(text),
        RunOutcome.Failed or RunOutcome.Invalid or RunOutcome.PolicyDenied => ansi.Red(text),
        _ => ansi.Yellow(text),
    };
}
