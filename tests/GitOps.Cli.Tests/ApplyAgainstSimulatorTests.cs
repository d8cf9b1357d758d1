using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.ArmSimulator;

namespace GitOps.Cli.Tests;

/// <summary><c>gitops plan</c> and <c>gitops apply</c> against the ARM simulator over HTTPS, as a user runs them.</summary>
[Trait("Category", "Integration")]
public sealed class ApplyAgainstSimulatorTests
{
    [Fact]
    public async Task Plan_Exits_Two_With_Pending_Changes_Apply_Exits_Zero_Then_Plan_Exits_Zero()
    {
        await using var arm = await SimulatedArm.StartAsync();

        var pending = await arm.RunAsync("plan");
        Assert.Equal(ExitCodes.ChangesPending, pending.ExitCode);
        Assert.Contains("3 to create", pending.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");

        var apply = await arm.RunAsync("apply", "--auto-approve");
        Assert.True(apply.ExitCode == ExitCodes.Success, apply.Out + apply.Error);
        Assert.Contains("Apply complete: 3 change(s) applied.", apply.Error, StringComparison.Ordinal);
        Assert.All(SimulatedArm.Ids, id => Assert.NotNull(arm.Sim.GetResource(id)));
        Assert.True(File.Exists(arm.StateFile));
        Assert.Equal(3, (JsonNode.Parse(File.ReadAllText(arm.StateFile))!["inventory"] as JsonArray)!.Count);

        var clean = await arm.RunAsync("plan");
        Assert.True(clean.ExitCode == ExitCodes.Success, clean.Out + clean.Error);
        Assert.Contains("No changes: Azure matches git.", clean.Out, StringComparison.Ordinal);

        // Applying again writes nothing and succeeds.
        arm.Sim.ClearRequests();
        var again = await arm.RunAsync("apply", "--auto-approve");
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.All(arm.Sim.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Equal(3, arm.Sim.Requests.Count);
    }

    [Fact]
    public async Task Plan_Json_Lists_Every_Resource_With_Its_Action_Diffs_And_The_Summary()
    {
        await using var arm = await SimulatedArm.StartAsync();
        Assert.Equal(ExitCodes.Success, (await arm.RunAsync("apply", "--auto-approve")).ExitCode);
        Assert.True(arm.Sim.SetOutOfBand(SimulatedArm.StorageId, new JsonObject { ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" } }));

        var (code, output, error) = await arm.RunAsync("plan", "--output", "json");

        Assert.True(code == ExitCodes.ChangesPending, output + error);
        var plan = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("it", plan["environment"]!.GetValue<string>());
        var changes = plan["changes"]!.AsArray();
        Assert.Equal(SimulatedArm.Ids.Order(StringComparer.OrdinalIgnoreCase), changes.Select(c => c!["id"]!.GetValue<string>()).Order(StringComparer.OrdinalIgnoreCase));
        foreach (var change in changes)
        {
            Assert.NotNull(change!["type"]);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}", change["apiVersion"]!.GetValue<string>());
            Assert.IsType<JsonArray>(change["diffs"]);
        }

        var storage = changes.Single(c => c!["id"]!.GetValue<string>() == SimulatedArm.StorageId)!;
        Assert.Equal("Microsoft.Storage/storageAccounts", storage["type"]!.GetValue<string>());
        Assert.Equal("2023-05-01", storage["apiVersion"]!.GetValue<string>());
        Assert.Equal("update", storage["action"]!.GetValue<string>());
        var diff = Assert.Single(storage["diffs"]!.AsArray())!;
        Assert.Equal("/properties/minimumTlsVersion", diff["path"]!.GetValue<string>());
        Assert.Equal("TLS1_2", diff["desired"]!.GetValue<string>());
        Assert.Equal("TLS1_0", diff["live"]!.GetValue<string>());
        Assert.All(changes.Where(c => c != storage), c => Assert.Equal("noop", c!["action"]!.GetValue<string>()));

        var summary = plan["summary"]!.AsObject();
        Assert.Equal(["create", "update", "delete", "detach", "noop", "drift"], summary.Select(p => p.Key));
        Assert.Equal(1, summary["update"]!.GetValue<int>());
        Assert.Equal(2, summary["noop"]!.GetValue<int>());
        Assert.Equal(0, summary["create"]!.GetValue<int>() + summary["delete"]!.GetValue<int>() + summary["detach"]!.GetValue<int>() + summary["drift"]!.GetValue<int>());
    }

    [Fact]
    public async Task Plan_Markdown_Shows_A_Table_Of_Changes()
    {
        await using var arm = await SimulatedArm.StartAsync();

        var (code, output, _) = await arm.RunAsync("plan", "--output", "markdown");

        Assert.Equal(ExitCodes.ChangesPending, code);
        Assert.Contains("### GitOps plan for `it`", output, StringComparison.Ordinal);
        Assert.Contains("**3** to create", output, StringComparison.Ordinal);
        Assert.Contains("| Action | Resource | Type | Note |", output, StringComparison.Ordinal);
        Assert.Contains("|---|---|---|---|", output, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(output, @"^\| 🟢 create \| `[^`]+` \| Microsoft\.", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task Apply_Without_Auto_Approve_And_Without_A_Terminal_Refuses_And_Writes_Nothing()
    {
        await using var arm = await SimulatedArm.StartAsync();

        var (code, _, error) = await arm.RunAsync("apply");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--auto-approve", error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error, StringComparison.Ordinal);
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");
        Assert.False(File.Exists(arm.StateFile));
    }

    [Fact]
    public async Task Apply_Confirmed_With_Yes_Applies_And_Anything_Else_Cancels()
    {
        await using var arm = await SimulatedArm.StartAsync();

        var declined = await arm.RunWithInputAsync("y\n", "apply");
        Assert.Equal(ExitCodes.Error, declined.ExitCode);
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");

        var confirmed = await arm.RunWithInputAsync("yes\n", "apply");
        Assert.True(confirmed.ExitCode == ExitCodes.Success, confirmed.Error);
        Assert.All(SimulatedArm.Ids, id => Assert.NotNull(arm.Sim.GetResource(id)));
    }

    [Fact]
    public async Task A_Failed_Resource_Makes_Apply_Exit_One_With_The_Arm_Code_And_Correlation_Id()
    {
        await using var arm = await SimulatedArm.StartAsync();
        arm.Sim.AddFault(new ArmFaultRule
        {
            Method = "PUT",
            PathPattern = "*/storageAccounts/stcli01",
            StatusCode = 400,
            ErrorCode = "StorageAccountAlreadyTaken",
            Message = "The storage account named stcli01 is already taken.",
        });

        var (code, output, error) = await arm.RunAsync("apply", "--auto-approve");

        Assert.True(code == ExitCodes.Error, output + error);
        Assert.Contains("StorageAccountAlreadyTaken: The storage account named stcli01 is already taken.", error, StringComparison.Ordinal);
        Assert.Matches(@"correlation id [0-9a-fA-F-]{36}", error);
        Assert.Contains("1 failed", error, StringComparison.Ordinal);
        Assert.NotNull(arm.Sim.GetResource(SimulatedArm.NsgId));
    }

    [Fact]
    public async Task Plan_Against_A_Live_Snapshot_Exits_Zero_When_Matching_And_Two_With_A_Diff()
    {
        await using var arm = await SimulatedArm.StartAsync();
        Assert.Equal(ExitCodes.Success, (await arm.RunAsync("apply", "--auto-approve")).ExitCode);
        var snapshot = Path.Combine(arm.Folder.Path, "snapshot");
        Directory.CreateDirectory(snapshot);
        var index = 0;
        foreach (var id in SimulatedArm.Ids)
        {
            File.WriteAllText(Path.Combine(snapshot, $"resource{index++}.json"), arm.Sim.GetResource(id)!.ToJsonString());
        }

        var matching = await CliRunner.RunAsync("plan", arm.ConfigPath, "--live-snapshot", snapshot);
        Assert.True(matching.ExitCode == ExitCodes.Success, matching.Out + matching.Error);

        var storage = Path.Combine(snapshot, "resource1.json");
        var body = JsonNode.Parse(File.ReadAllText(storage))!;
        body["properties"]!["allowBlobPublicAccess"] = true;
        File.WriteAllText(storage, body.ToJsonString());
        var drifted = await CliRunner.RunAsync("plan", arm.ConfigPath, "--live-snapshot", snapshot);
        Assert.Equal(ExitCodes.ChangesPending, drifted.ExitCode);
        Assert.Contains("/properties/allowBlobPublicAccess: true → false", drifted.Out, StringComparison.Ordinal);

        // The snapshot is read offline: the simulator saw nothing.
        arm.Sim.ClearRequests();
        File.WriteAllText(Path.Combine(snapshot, "broken.json"), "{ \"id\": ");
        var broken = await CliRunner.RunAsync("plan", arm.ConfigPath, "--live-snapshot", snapshot);
        Assert.Equal(ExitCodes.Error, broken.ExitCode);
        Assert.Contains("broken.json", broken.Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", broken.Error, StringComparison.Ordinal);
        Assert.Empty(arm.Sim.Requests);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("apply")]
    public async Task A_Damaged_State_File_Is_A_Clear_Error_Naming_The_File(string command)
    {
        await using var arm = await SimulatedArm.StartAsync();
        Directory.CreateDirectory(arm.StateDirectory);
        File.WriteAllText(arm.StateFile, "{ \"inventory\": [ { \"id\": 12 } ");

        var (code, output, error) = command == "apply" ? await arm.RunAsync(command, "--auto-approve") : await arm.RunAsync(command);

        Assert.True(code == ExitCodes.Error, output + error);
        Assert.Contains($"State file '{arm.StateFile}' is damaged", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task Removing_A_File_Plans_A_Delete_And_Apply_Prunes_It_When_The_Environment_Enables_Prune()
    {
        await using var arm = await SimulatedArm.StartAsync();
        var config = Path.Combine(arm.ConfigPath, "gitops.yaml");
        File.WriteAllText(config, File.ReadAllText(config).TrimEnd() + "\n    prune: { enabled: true, deleteBudget: 5 }\n");
        Assert.Equal(ExitCodes.Success, (await arm.RunAsync("apply", "--auto-approve")).ExitCode);
        File.Delete(Path.Combine(arm.ConfigPath, "envs", "it", "network.yaml"));

        var plan = await arm.RunAsync("plan", "--output", "json");
        Assert.Equal(ExitCodes.ChangesPending, plan.ExitCode);
        var delete = JsonNode.Parse(plan.Out)!["changes"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == SimulatedArm.NsgId)!;
        Assert.Equal("delete", delete["action"]!.GetValue<string>());
        Assert.Equal("2024-01-01", delete["apiVersion"]!.GetValue<string>());

        var (code, output, error) = await arm.RunAsync("apply", "--auto-approve");

        Assert.True(code == ExitCodes.Success, output + error);
        Assert.Null(arm.Sim.GetResource(SimulatedArm.NsgId));
        Assert.DoesNotContain("nsg-cli", File.ReadAllText(arm.StateFile), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, (await arm.RunAsync("plan")).ExitCode);
        Assert.DoesNotContain(SimulatedArm.Token, plan.Out + plan.Error + output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_Refuses_An_Environment_Suspended_In_Git_And_Plan_Still_Shows_The_Changes()
    {
        await using var arm = await SimulatedArm.StartAsync();
        var config = Path.Combine(arm.ConfigPath, "gitops.yaml");
        File.WriteAllText(config, File.ReadAllText(config).TrimEnd() + "\n    suspended: { reason: change freeze }\n");

        var (code, output, error) = await arm.RunAsync("apply", "--auto-approve");

        Assert.True(code == ExitCodes.Error, output + error);
        Assert.Contains("environment 'it' is suspended (change freeze); nothing was written", error, StringComparison.Ordinal);
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");
        Assert.All(SimulatedArm.Ids, id => Assert.Null(arm.Sim.GetResource(id)));
        Assert.Equal(ExitCodes.ChangesPending, (await arm.RunAsync("plan")).ExitCode);
    }
}
