namespace GitOps.Core.Manifests;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Reported, but does not block.</summary>
    Warning,

    /// <summary>Blocks the run: nothing is planned or applied.</summary>
    Error,
}

/// <summary>
/// One problem found in the configuration: where it is, what is wrong, and what to do about it.
/// </summary>
/// <param name="Code">A stable code such as <c>GO1004</c>, listed in <see cref="DiagnosticCodes"/>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Location">File, line and column.</param>
/// <param name="Message">What is wrong, naming the field or value.</param>
/// <param name="Hint">What to do to fix it; null when the message says it already.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    SourceLocation Location,
    string Message,
    string? Hint = null)
{
    /// <summary>Creates an error.</summary>
    public static Diagnostic Error(string code, SourceLocation location, string message, string? hint = null) =>
        new(code, DiagnosticSeverity.Error, location, message, hint);

    /// <summary>Creates a warning.</summary>
    public static Diagnostic Warning(string code, SourceLocation location, string message, string? hint = null) =>
        new(code, DiagnosticSeverity.Warning, location, message, hint);

    /// <summary>Formats as <c>file:line:col: error GO1004: message (hint)</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return Hint is null
            ? $"{Location}: {severity} {Code}: {Message}"
            : $"{Location}: {severity} {Code}: {Message} {Hint}";
    }
}
