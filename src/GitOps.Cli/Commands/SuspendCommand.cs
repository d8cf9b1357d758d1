using System.CommandLine;
using System.Globalization;
using GitOps.Core.Reconcile;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops suspend --env NAME --reason TEXT [--until TIME]</c>: an emergency suspension written to the reconciler's
/// storage (the same operation as <c>POST /api/environments/{repo}/{env}/suspend</c>).
/// </summary>
internal static class SuspendCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var target = new EnvironmentTarget();
        var reason = new Option<string>("--reason") { Description = "Why (recorded with who and when, and shown in every suspended run).", HelpName = "TEXT", Required = true };
        var until = new Option<string?>("--until") { Description = "When it is meant to end: an ISO-8601 time (2026-12-01T00:00:00Z) or a duration from now (30m, 2h, 1d). Recorded; resume with gitops resume.", HelpName = "TIME" };
        var command = new Command("suspend", "Suspend an environment in an emergency: runs still observe and record drift, but nothing is written to Azure until gitops resume.")
        {
            reason, until,
        };
        target.AddTo(command);
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            DateTimeOffset? end = null;
            if (parse.GetValue(until) is { } text)
            {
                end = ParseUntil(text, DateTimeOffset.UtcNow);
                if (end is null)
                {
                    console.Error.WriteLine($"error: --until '{text}': use an ISO-8601 time such as 2026-12-01T00:00:00Z, or a duration such as 30m, 2h or 1d.");
                    return ExitCodes.Error;
                }
            }

            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null || await target.ResolveAsync(parse, store, console, "suspend", cancellationToken) is not var (repo, name))
            {
                return ExitCodes.Error;
            }

            try
            {
                var record = await new EnvironmentControl(store.States, store.Runs, store.Jobs).SuspendAsync(repo, name, parse.GetRequiredValue(reason), CliActor.Current, end, cancellationToken);
                console.Out.WriteLine(record.RunId);
                console.Error.WriteLine($"{record.EnvironmentKey}: {record.Summary} Resume with: gitops resume --env {record.EnvironmentKey}");
                return ExitCodes.Success;
            }
            catch (ArgumentException error)
            {
                console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.Error;
            }
        });
        return command;
    }

    /// <summary>An ISO-8601 time (UTC unless it says otherwise), or a duration from now: a number and m, h or d.</summary>
    internal static DateTimeOffset? ParseUntil(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.Length >= 2 && char.ToLowerInvariant(text[^1]) is 'm' or 'h' or 'd'
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            return char.ToLowerInvariant(text[^1]) switch
            {
                'm' => now.AddMinutes(amount),
                'h' => now.AddHours(amount),
                _ => now.AddDays(amount),
            };
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }
}
