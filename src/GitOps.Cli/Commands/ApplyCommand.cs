using System.CommandLine;
using GitOps.Cli.Output;
using GitOps.Core.Apply;
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
        var preparation = new PlanPreparation();
        var autoApprove = new Option<bool>("--auto-approve")
        {
            Description = "Apply without asking for confirmation (needed when there is no terminal, as in CI).",
        };
        var command = new Command("apply", "Make Azure match git: create and update declared resources in dependency order, prune removed ones when the environment enables it.")
        {
            autoApprove,
        };
        preparation.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var prepared = await preparation.PrepareAsync(parse, snapshotFolder: null, console, cancellationToken);
            if (prepared is null)
            {
                return ExitCodes.Error;
            }

            var (loaded, plan, inventory, store, client, live) = prepared;
            if (loaded.Environment.Suspended is { } suspension)
            {
                // A suspension in gitops.yaml is a reviewed change freeze; the reconciler writes nothing then, and
                // neither may a manual apply. `gitops plan` still shows what would change.
                console.Error.WriteLine(
                    $"error: environment '{loaded.Environment.Name}' is suspended ({suspension.Reason}); nothing was written. " +
                    "Remove 'suspended' from gitops.yaml (a reviewed commit) to apply.");
                return ExitCodes.Error;
            }

            PlanCommand.Render(console, plan, parse.GetRequiredValue(preparation.Output));
            if (!plan.Summary.HasWrites && plan.Summary.Detach == 0)
            {
                // Nothing to write, but record adoptions (resources that already matched) for later prunes.
                store!.Save(loaded.Environment.Name, InventoryUpdate.Compute(inventory, plan, []));
                return ExitCodes.Success;
            }

            if (!parse.GetValue(autoApprove) && !Confirm(console, plan))
            {
                console.Error.WriteLine("Apply cancelled; nothing was changed.");
                return ExitCodes.Error;
            }

            var applied = await new Applier(client!, secrets: prepared.Secrets).ApplyAsync(plan, inventory, live, cancellationToken);
            store!.Save(loaded.Environment.Name, applied.Inventory);
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
