namespace GitOps.Cli.Output;

/// <summary>Minimal ANSI styling that turns into plain text when colour is off.</summary>
internal readonly struct Ansi(bool enabled)
{
    public string Green(string text) => Wrap("32", text);

    public string Yellow(string text) => Wrap("33", text);

    public string Red(string text) => Wrap("31", text);

    public string Cyan(string text) => Wrap("36", text);

    public string Dim(string text) => Wrap("2", text);

    public string Bold(string text) => Wrap("1", text);

    private string Wrap(string code, string text) => enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
