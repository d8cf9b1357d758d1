using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace GitOps.Cli;

/// <summary>
/// <c>gitops --version</c>: the CLI's own informational version (with the commit it was built from), rather than the
/// entry assembly's, which is a host's when the CLI runs in-process (tests, the .NET tool shim).
/// </summary>
internal sealed class VersionAction(TextWriter output) : SynchronousCommandLineAction
{
    /// <summary>The version text.</summary>
    public static string Version =>
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        output.WriteLine(Version);
        return ExitCodes.Success;
    }
}
