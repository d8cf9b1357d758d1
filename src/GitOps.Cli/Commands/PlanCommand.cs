using System.CommandLine;
using GitOps.Cli.Output;
using GitOps.Core.Planning;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops plan [PATH] [--env NAME] [--live-snapshot DIR] [--output table|json|markdown]</c>:
/// exit 0 no changes, 2 changes pending, 1 invalid input or error.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliConsole console)
    {
        var preparation = new PlanPreparation();
        var snapshot = new Option<string?>("--live-snapshot")
        {
            Description = "Plan offline against a folder of ARM GET response bodies (*.json, each with its id) instead of reading Azure. A declared resource with no file is absent.",
            HelpName = "DIR",
        };
        var command = new Command("plan", "Show what apply would change: every declared resource with its action and field-level differences.") { snapshot };
        preparation.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var prepared = await preparation.PrepareAsync(parse, parse.GetValue(snapshot), console, cancellationToken);
            if (prepared is null)
            {
                return ExitCodes.Error;
            }

            Render(console, prepared.Plan, parse.GetRequiredValue(preparation.Output));
            return prepared.Plan.Summary.HasChanges ? ExitCodes.ChangesPending : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes a plan in the chosen format.</summary>
    public static void Render(CliConsole console, PlanResult plan, string format)
    {
        switch (format)
        {
            case "json":
                console.Out.WriteLine(PlanJson.Serialize(plan));
                break;
            case "markdown":
                PlanMarkdownWriter.Write(console.Out, plan);
                break;
            default:
                PlanTableWriter.Write(console.Out, plan, console.Color);
                break;
        }
    }
}
