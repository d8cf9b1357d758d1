namespace GitOps.Cli;

/// <summary>
/// Where a command writes, and whether it may use colour. Colour is on only for a terminal, and off when
/// <c>NO_COLOR</c> is set or output is redirected, so pipes and CI logs get plain text.
/// </summary>
/// <param name="Out">Standard output: the command's result (plans, JSON).</param>
/// <param name="Error">Standard error: diagnostics and progress.</param>
/// <param name="Color">Whether ANSI colour may be written to <paramref name="Out"/>.</param>
/// <param name="Input">Standard input, for confirmations; null when there is none.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool Color, TextReader? Input = null)
{
    /// <summary>The process console.</summary>
    public static CliConsole System()
    {
        var color = !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new CliConsole(Console.Out, Console.Error, color, Console.IsInputRedirected ? null : Console.In);
    }
}
