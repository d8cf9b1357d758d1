using System.CommandLine;
using GitOps.Core.Reconcile;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>--override-window --reason TEXT</c> for <c>gitops sync</c> and <c>gitops rollback</c>: run even outside the
/// environment's sync windows. The reason is recorded with the requester and raises an alert when the override is used.
/// </summary>
internal sealed class WindowOverrideOptions
{
    public Option<bool> Override { get; } = new("--override-window") { Description = "Run even if the environment's sync windows are closed now (recorded with who and why; raises an alert)." };

    public Option<string?> Reason { get; } = new("--reason") { Description = "Why the sync window is overridden (required with --override-window).", HelpName = "TEXT" };

    public void AddTo(Command command)
    {
        command.Options.Add(Override);
        command.Options.Add(Reason);
    }

    /// <summary>The override reason (null without <c>--override-window</c>), or prints why the options are wrong and sets <paramref name="valid"/> false.</summary>
    public string? Read(ParseResult parse, CliConsole console, out bool valid)
    {
        var reason = parse.GetValue(Reason)?.Trim();
        valid = true;
        if (!parse.GetValue(Override))
        {
            if (!string.IsNullOrEmpty(reason))
            {
                console.Error.WriteLine("error: --reason is for --override-window; add --override-window to run outside the sync windows.");
                valid = false;
            }

            return null;
        }

        if (string.IsNullOrEmpty(reason) || reason.Length > EnvironmentControl.MaxTextLength)
        {
            console.Error.WriteLine($"error: --override-window needs --reason \"...\" (1 to {EnvironmentControl.MaxTextLength} characters): it is recorded with who overrode the window, and alerted on.");
            valid = false;
            return null;
        }

        return reason;
    }
}
