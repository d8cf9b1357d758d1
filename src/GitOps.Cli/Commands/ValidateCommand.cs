using System.CommandLine;
using GitOps.Cli.Workspace;

namespace GitOps.Cli.Commands;

/// <summary><c>gitops validate [PATH] [--env NAME] [--strict]</c>: load and check manifests; exit 0 valid, 1 invalid.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var path = CommonOptions.Path();
        var environment = CommonOptions.Environment();
        var subscription = CommonOptions.Subscription();
        var variables = CommonOptions.Variables();
        var strict = new Option<bool>("--strict")
        {
            Description = "Resource type catalogue findings in bodies (unknown property, wrong type, enum value, read-only, missing required: GO1017-GO1020) are errors, not warnings. For the pull-request check.",
        };

        // validate reads no vault and calls no ARM; the ARM options only choose the cloud whose vaults keyvault() may name.
        var arm = new ArmOptions();
        var command = new Command("validate", "Check gitops.yaml, gitops.policy.yaml and the resource manifests: YAML, fields, names, variables, references, cycles, Key Vault hosts, subscriptions, bodies against the resource type catalogue, and the policy rules. Reports every error with file, line and column.")
        {
            path, environment, subscription, variables, strict,
        };
        arm.AddTo(command);
        command.SetAction(parse =>
        {
            var keyVaultHosts = arm.CreateKeyVaultHosts(parse, console);
            if (keyVaultHosts is null)
            {
                return ExitCodes.Error;
            }

            var workspace = ConfigWorkspace.Load(
                parse.GetRequiredValue(path),
                parse.GetValue(environment),
                parse.GetValue(subscription),
                parse.GetValue(variables) ?? [],
                allowAll: true,
                keyVaultHosts,
                console,
                parse.GetValue(strict));
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
