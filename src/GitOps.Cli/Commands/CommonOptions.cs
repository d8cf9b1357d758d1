using System.CommandLine;

namespace GitOps.Cli.Commands;

/// <summary>Arguments and options shared by the commands that read a config folder.</summary>
internal static class CommonOptions
{
    public static Argument<string> Path() => new("path")
    {
        Description = "The config repository folder: with gitops.yaml, or resource YAML files for one implicit environment.",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => ".",
    };

    public static Option<string?> Environment() => new("--env", "-e")
    {
        Description = "The environment (from gitops.yaml). Needed when the repository declares several.",
        HelpName = "NAME",
    };

    public static Option<string?> Subscription() => new("--subscription")
    {
        Description = "Default subscription id for resources that name none (implicit environment), or an override of the environment's.",
        HelpName = "ID",
    };

    public static Option<string[]> Variables() => new("--var")
    {
        Description = "A variable for ${{ vars.NAME }}; repeatable. Defines the implicit environment's variables, or overrides gitops.yaml's.",
        HelpName = "NAME=VALUE",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static Option<string> Output() => new Option<string>("--output", "-o")
    {
        Description = "Output format: table (for people), json (for tools), markdown (for pull-request comments).",
        HelpName = "FORMAT",
        DefaultValueFactory = _ => "table",
    }.AcceptOnlyFromAmong("table", "json", "markdown");
}
