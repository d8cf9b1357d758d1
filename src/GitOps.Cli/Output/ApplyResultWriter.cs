using GitOps.Core.Apply;
using GitOps.Core.Planning;

namespace GitOps.Cli.Output;

/// <summary>Prints the outcome of an apply (the CLI's and a recorded run's): one line per change, the ARM error and correlation id of failures.</summary>
internal static class ApplyResultWriter
{
    public static void Write(TextWriter writer, ApplyResult result, bool color)
    {
        var ansi = new Ansi(color);
        WriteResults(writer, result.Results, ansi);

        var failed = result.Results.Count(r => r.Outcome == ResourceOutcome.Failed);
        var skipped = result.Results.Count(r => r.Outcome == ResourceOutcome.Skipped);
        writer.WriteLine(failed + skipped == 0
            ? ansi.Green($"Apply complete: {result.Results.Count} change(s) applied.")
            : ansi.Red($"Apply finished with {failed} failed and {skipped} skipped of {result.Results.Count} change(s). Fix the errors above and run apply again; succeeded changes are not repeated."));
    }

    /// <summary>One line per result; failures and skips add the ARM error and correlation id. Shared with run records.</summary>
    public static void WriteResults(TextWriter writer, IEnumerable<ResourceResult> results, Ansi ansi)
    {
        foreach (var item in results)
        {
            var outcome = item.Outcome switch
            {
                ResourceOutcome.Succeeded => ansi.Green("succeeded"),
                ResourceOutcome.Failed => ansi.Red("failed   "),
                _ => ansi.Yellow("skipped  "),
            };
            writer.WriteLine($"  {outcome} {item.Action.ToWireName(),-6} {item.Id}");
            if (item.Outcome != ResourceOutcome.Succeeded)
            {
                var correlation = item.CorrelationId is null ? string.Empty : $" (correlation id {item.CorrelationId})";
                writer.WriteLine($"            {item.ErrorCode}: {item.Message}{correlation}");
            }
        }
    }
}
