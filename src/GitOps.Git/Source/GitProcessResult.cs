namespace GitOps.Git.Source;

/// <summary>The outcome of one git process.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StandardOutput">Everything written to standard output.</param>
/// <param name="StandardError">Standard error, redacted and truncated to its last few kilobytes.</param>
internal sealed record GitProcessResult(int ExitCode, byte[] StandardOutput, string StandardError);
