using System.CommandLine;
using GitOps.Cli.Workspace;

namespace GitOps.Cli.Commands;

/// <summary><c>gitops validate [PATH] [--env NAME]</c>: load and check manifests; exit 0 valid, 1 invalid.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var path = CommonOptions.Path();
        var environment = CommonOptions.Environment();
        var subscription = CommonOptions.Subscription();
        var variables = CommonOptions.Variables();
        var command = new Command("validate", "Check gitops.yaml and the resource manifests: YAML, fields, names, variables, references, cycles. Reports every error with file, line and column.")
        {
            path, environment, subscription, variables,
        };
        command.SetAction(parse =>
        {
            var workspace = ConfigWorkspace.Load(
                parse.GetRequiredValue(path),
                parse.GetValue(environment),
                parse.GetValue(subscription),
                parse.GetValue(variables) ?? [],
                allowAll: true,
                console);
            if (workspace is null)
            {
                return ExitCodes.Error;
            }

            var errors = workspace.Environments.Sum(e => e.Diagnostics.Count(d => d.Severity == Core.Manifests.DiagnosticSeverity.Error));
            var warnings = workspace.Config.Diagnostics.Count(d => d.Severity == Core.Manifests.DiagnosticSeverity.Warning)
                + workspace.Environments.Sum(e => e.Diagnostics.Count(d => d.Severity == Core.Manifests.DiagnosticSeverity.Warning));
            foreach (var result in workspace.Environments)
            {
                var status = result.HasErrors ? "invalid" : "valid";
                console.Out.WriteLine($"{result.Environment.Name}: {status} ({result.Resources.Count} resources)");
            }

            if (errors > 0)
            {
                console.Error.WriteLine($"{errors} error(s), {warnings} warning(s).");
                return ExitCodes.Error;
            }

            if (warnings > 0)
            {
                console.Error.WriteLine($"{warnings} warning(s).");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
