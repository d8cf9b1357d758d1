using System.CommandLine;
using GitOps.Cli.Workspace;

namespace GitOps.Cli.Commands;

/// <summary>Where the CLI keeps an environment's inventory between applies.</summary>
internal static class StateOptions
{
    public static Option<string?> StateDirectory() => new("--state-dir")
    {
        Description = "Folder for the environment's inventory (what apply manages, for prune). Default: .gitops/state inside the config folder.",
        HelpName = "DIR",
    };

    public static LocalStateStore Store(ParseResult parse, Option<string?> option, string configRoot) =>
        new(parse.GetValue(option) ?? Path.Combine(configRoot, ".gitops", "state"));
}
