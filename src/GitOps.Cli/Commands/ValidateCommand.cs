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
        var command = new Command("validate", "Check gitops.yaml, gitops.policy.yaml and the resource manifests: YAML, fields, names, variables, references, cycles, and the policy rules. Reports every error with file, line and column.")
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
                + workspace.Policy.Diagnostics.Count(d => d.Severity == Core.Manifests.DiagnosticSeverity.Warning)
                + workspace.Environments.Sum(e => e.Diagnostics.Count(d => d.Severity == Core.Manifests.DiagnosticSeverity.Warning));
            if (workspace.Policy.IsDeclared)
            {
                console.Out.WriteLine($"policy: {workspace.Policy.Policy.Rules.Count} rule(s) from {Core.Policy.PolicySet.FileName}");
            }

            foreach (var result in workspace.Environments)
            {
                var errorCount = result.Diagnostics.Count(d => d.Severity == Core.Manifests.DiagnosticSeverity.Error);
                var denials = ConfigWorkspace.PolicyDenials(result.Diagnostics);
                var status = errorCount == 0 ? "valid" : errorCount == denials ? $"denied by policy, {denials} violation(s)" : "invalid";
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
