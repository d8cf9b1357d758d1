using System.CommandLine;
using GitOps.Storage.Reconcile;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>--env [REPOSITORY/]NAME</c> and <c>--repo</c> for the commands that act on one reconciled environment
/// (sync, suspend, resume, rollback).
/// </summary>
internal sealed class EnvironmentTarget
{
    public Option<string> Environment { get; } = new("--env", "-e") { Description = "The environment: NAME, or REPOSITORY/NAME.", HelpName = "NAME", Required = true };

    public Option<string?> Repository { get; } = new("--repo") { Description = "The watched repository (needed when several have an environment of that name).", HelpName = "NAME" };

    public void AddTo(Command command)
    {
        command.Options.Add(Environment);
        command.Options.Add(Repository);
    }

    /// <summary>The repository and environment, or prints why not and returns null.</summary>
    public async Task<(string Repository, string Environment)?> ResolveAsync(ParseResult parse, GitOpsStorage store, CliConsole console, string verb, CancellationToken cancellationToken)
    {
        var name = parse.GetRequiredValue(Environment);
        var repo = parse.GetValue(Repository);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            repo = name[..slash];
            name = name[(slash + 1)..];
        }

        if (repo is not null)
        {
            return (repo, name);
        }

        // The reconciler knows environments by their state; pick the repository that has one of that name.
        var keys = (await store.States.ListAsync(cancellationToken)).Where(k => k.EndsWith("/" + name, StringComparison.Ordinal)).ToList();
        if (keys.Count == 1)
        {
            return (keys[0][..keys[0].LastIndexOf('/')], name);
        }

        console.Error.WriteLine(keys.Count == 0
            ? $"error: no reconciled environment named '{name}'; give it as REPOSITORY/{name} (or --repo) to {verb} it for the first time."
            : $"error: several repositories have an environment '{name}' ({string.Join(", ", keys)}); choose one with --repo.");
        return null;
    }
}
