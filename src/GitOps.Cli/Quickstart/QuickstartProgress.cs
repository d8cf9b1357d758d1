using System.Diagnostics;
using System.Globalization;

namespace GitOps.Cli.Quickstart;

/// <summary>Prints the quick start's numbered steps with the time elapsed since it began, and remembers the current one.</summary>
internal sealed class QuickstartProgress(TextWriter writer, int steps)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The step running now, for the failure message.</summary>
    public string Current { get; private set; } = "starting";

    /// <summary>Seconds since the quick start began.</summary>
    public string Elapsed => _clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Starts step <paramref name="number"/>.</summary>
    public void Begin(int number, string what)
    {
        Current = $"step {number}/{steps} ({what})";
        writer.WriteLine();
        writer.WriteLine($"[{number}/{steps}] {what} …");
    }

    /// <summary>Ends the current step with what it achieved.</summary>
    public void Done(string detail) => writer.WriteLine($"      ok: {detail} [{Elapsed}]");

    /// <summary>A detail line inside the current step.</summary>
    public void Note(string detail) => writer.WriteLine($"      {detail}");
}
