using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Cli.Output;
using GitOps.Cli.Workspace;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
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
        var path = CommonOptions.Path();
        var environment = CommonOptions.Environment();
        var subscription = CommonOptions.Subscription();
        var variables = CommonOptions.Variables();
        var output = CommonOptions.Output();
        var snapshot = new Option<string?>("--live-snapshot")
        {
            Description = "Plan offline against a folder of ARM GET response bodies (*.json, each with its id) instead of reading Azure. A declared resource with no file is absent.",
            HelpName = "DIR",
        };
        var arm = new ArmOptions();
        var state = StateOptions.StateDirectory();
        var command = new Command("plan", "Show what apply would change: every declared resource with its action and field-level differences.")
        {
            path, environment, subscription, variables, output, snapshot, state,
        };
        arm.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var workspace = ConfigWorkspace.Load(parse.GetRequiredValue(path), parse.GetValue(environment), parse.GetValue(subscription), parse.GetValue(variables) ?? [], allowAll: false, console);
            if (workspace is null || workspace.Environments[0].HasErrors)
            {
                return ExitCodes.Error;
            }

            var loaded = workspace.Environments[0];
            IReadOnlyDictionary<string, JsonObject>? live;
            var snapshotFolder = parse.GetValue(snapshot);
            var inventory = ResourceInventory.Empty;
            if (snapshotFolder is not null)
            {
                live = LiveSnapshot.Load(snapshotFolder, console);
            }
            else
            {
                try
                {
                    inventory = StateOptions.Store(parse, state, workspace.Root).Load(loaded.Environment.Name);
                }
                catch (InvalidDataException error)
                {
                    // As apply does: the message names the file and what to do; a stack trace would only hide that.
                    console.Error.WriteLine($"error: {error.Message}");
                    return ExitCodes.Error;
                }

                var client = arm.CreateClient(parse, console);
                live = client is null ? null : await ArmOptions.ObserveAsync(client, loaded.Resources, console, cancellationToken);
            }

            if (live is null)
            {
                return ExitCodes.Error;
            }

            var plan = Planner.Plan(new PlanInput
            {
                Environment = loaded.Environment.Name,
                Desired = loaded.Resources,
                Live = live,
                Inventory = inventory,
                Options = new PlanOptions { DriftMode = DriftMode.Correct, Prune = loaded.Environment.Prune },
            });
            Render(console, plan, parse.GetRequiredValue(output));
            return plan.Summary.HasChanges ? ExitCodes.ChangesPending : ExitCodes.Success;
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
