using System.CommandLine;
using GitOps.Cli.Output;
using GitOps.Cli.Workspace;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops apply [PATH] [--env NAME] [--auto-approve]</c>: observe, plan, confirm, apply, record the inventory.
/// Exit 0 when everything applied (or nothing needed to), 1 on invalid input or any failed change.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(CliConsole console)
    {
        var path = CommonOptions.Path();
        var environment = CommonOptions.Environment();
        var subscription = CommonOptions.Subscription();
        var variables = CommonOptions.Variables();
        var output = CommonOptions.Output();
        var autoApprove = new Option<bool>("--auto-approve")
        {
            Description = "Apply without asking for confirmation (needed when there is no terminal, as in CI).",
        };
        var arm = new ArmOptions();
        var state = StateOptions.StateDirectory();
        var command = new Command("apply", "Make Azure match git: create and update declared resources in dependency order, prune removed ones when the environment enables it.")
        {
            path, environment, subscription, variables, output, autoApprove, state,
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
            if (loaded.Environment.Suspended is { } suspension)
            {
                // A suspension in gitops.yaml is a reviewed change freeze; the reconciler writes nothing then, and
                // neither may a manual apply. `gitops plan` still shows what would change.
                console.Error.WriteLine(
                    $"error: environment '{loaded.Environment.Name}' is suspended ({suspension.Reason}); nothing was written. " +
                    "Remove 'suspended' from gitops.yaml (a reviewed commit) to apply.");
                return ExitCodes.Error;
            }

            var client = arm.CreateClient(parse, console);
            if (client is null)
            {
                return ExitCodes.Error;
            }

            LocalStateStore store;
            Core.Inventory.ResourceInventory inventory;
            try
            {
                store = StateOptions.Store(parse, state, workspace.Root);
                inventory = store.Load(loaded.Environment.Name);
            }
            catch (InvalidDataException error)
            {
                console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.Error;
            }

            var live = await ArmOptions.ObserveAsync(client, loaded.Resources, console, cancellationToken);
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
            var format = parse.GetRequiredValue(output);
            PlanCommand.Render(console, plan, format);

            if (!plan.Summary.HasWrites && plan.Summary.Detach == 0)
            {
                // Nothing to write, but record adoptions (resources that already matched) for later prunes.
                store.Save(loaded.Environment.Name, InventoryUpdate.Compute(inventory, plan, []));
                return ExitCodes.Success;
            }

            if (!parse.GetValue(autoApprove) && !Confirm(console, plan))
            {
                console.Error.WriteLine("Apply cancelled; nothing was changed.");
                return ExitCodes.Error;
            }

            var applied = await new Applier(client).ApplyAsync(plan, inventory, cancellationToken);
            store.Save(loaded.Environment.Name, applied.Inventory);
            ApplyResultWriter.Write(console.Error, applied, console.Color);
            return applied.Succeeded ? ExitCodes.Success : ExitCodes.Error;
        });
        return command;
    }

    private static bool Confirm(CliConsole console, PlanResult plan)
    {
        if (console.Input is null)
        {
            console.Error.WriteLine("error: apply needs confirmation but there is no terminal; review the plan above and run again with --auto-approve.");
            return false;
        }

        var s = plan.Summary;
        console.Error.Write($"Apply {s.Create + s.Update + s.Delete} write(s) and {s.Detach} detach(es) to '{plan.Environment}'? Only 'yes' is accepted: ");
        return string.Equals(console.Input.ReadLine()?.Trim(), "yes", StringComparison.Ordinal);
    }
}
