using System.Text.Json.Nodes;
using GitOps.Testing;
using Microsoft.Extensions.Configuration;

namespace GitOps.Cli.Tests;

/// <summary>
/// infra/ (the reconciler's own footprint) validates for every environment, applies to the ARM simulator over HTTPS
/// with the real CLI, and plans clean afterwards: no false drift from what the simulator normalizes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InfraTests : IClassFixture<ArmSimulatorFixture>
{
    // gitops.yaml's targetScope: a resource group of another config repository, which exists before infra/ applies.
    private const string TargetGroupId = "/subscriptions/" + ArmSimulatorFixture.SubscriptionId + "/resourceGroups/rg-shop-prod";

    private readonly ArmSimulatorFixture _simulator;

    public InfraTests(ArmSimulatorFixture simulator) => _simulator = simulator;

    private static string Infra => Path.Combine(RepositoryRoot.Find(), "infra");

    [Fact]
    public async Task Infra_Validates_Without_Errors_Or_Warnings_For_Every_Environment()
    {
        var (code, output, error) = await CliRunner.RunAsync("validate", Infra);

        Assert.True(code == ExitCodes.Success, output + error);
        Assert.Contains("bootstrap: valid", output, StringComparison.Ordinal);
        Assert.Contains("prod: valid", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output + error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bootstrap_Applies_To_The_Simulator_And_Then_Plans_No_Changes()
    {
        using var folder = new TempFolder();
        var pem = Path.Combine(folder.Path, "simulator.pem");
        await File.WriteAllTextAsync(pem, _simulator.CertificatePem);
        _simulator.State.Seed(new JsonObject
        {
            ["id"] = TargetGroupId,
            ["name"] = "rg-shop-prod",
            ["type"] = "Microsoft.Resources/resourceGroups",
            ["location"] = "westeurope",
        });
        string[] arm =
        [
            "--env", "bootstrap",
            "--arm-endpoint", _simulator.Endpoint.ToString(),
            "--arm-ca-cert", pem,
            "--arm-token", ArmSimulatorFixture.Token,
            "--state-dir", Path.Combine(folder.Path, "state"),
        ];

        var apply = await CliRunner.RunAsync(["apply", Infra, "--auto-approve", .. arm]);
        Assert.True(apply.ExitCode == ExitCodes.Success, apply.Out + apply.Error);
        Assert.Contains("27 to create", apply.Out, StringComparison.Ordinal);

        // What was applied is really there, with the settings the worker needs.
        var site = await _simulator.Client.GetStringAsync(
            "subscriptions/" + ArmSimulatorFixture.SubscriptionId + "/resourceGroups/rg-gitops/providers/Microsoft.Web/sites/func-gitops-reconciler?api-version=2024-04-01");
        var body = JsonNode.Parse(site)!;
        Assert.Equal("dotnet-isolated", (string?)body["properties"]!["functionAppConfig"]!["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)body["properties"]!["functionAppConfig"]!["runtime"]!["version"]);
        var settings = body["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);
        Assert.Equal("stgitopsreconciler", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("https://github.com/contoso/platform-config.git", settings["GitOps__Repositories__platform__Url"]);
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        foreach (var secret in new[] { "GitOps__Repositories__platform__Token", "GitOps__Repositories__platform__WebhookSecret", "APPLICATIONINSIGHTS_CONNECTION_STRING" })
        {
            Assert.StartsWith("@Microsoft.KeyVault(SecretUri=https://kv-gitops-reconciler.vault.azure.net/secrets/", settings[secret], StringComparison.Ordinal);
        }

        // Every setting the app requires is declared: the app's own start-up check finds nothing missing once the
        // platform has resolved the Key Vault references (stood in for here by plain values).
        var resolved = settings.ToDictionary(
            s => s.Key.Replace("__", ":", StringComparison.Ordinal),
            s => (string?)(s.Value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal) ? "resolved-by-the-platform" : s.Value));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(resolved).Build();
        var options = GitOps.Hosting.Options.GitOpsOptions.Read(configuration);
        Assert.Empty(options.Problems);
        Assert.Empty(GitOps.Hosting.Options.FunctionsHostRequirements.Check(configuration, options.Settings));

        var target = await _simulator.Client.GetStringAsync(
            TargetGroupId.TrimStart('/') + "/providers/Microsoft.Authorization/roleAssignments/0c5f1e2a-7b3d-4e8f-9a1b-2c3d4e5f6a04?api-version=2022-04-01");
        Assert.EndsWith("/b24988ac-6180-42a0-ab88-0f7420f25d97", (string)JsonNode.Parse(target)!["properties"]!["roleDefinitionId"]!, StringComparison.Ordinal);
        var queue = await _simulator.Client.GetAsync(
            "subscriptions/" + ArmSimulatorFixture.SubscriptionId + "/resourceGroups/rg-gitops/providers/Microsoft.Storage/storageAccounts/stgitopsreconciler/queueServices/default/queues/reconcile-poison?api-version=2023-05-01");
        Assert.True(queue.IsSuccessStatusCode, $"reconcile-poison queue: {(int)queue.StatusCode}");
        foreach (var name in new[] { GitOps.Hosting.Settings.QueueNames.Drift, GitOps.Hosting.Settings.QueueNames.DriftPoison })
        {
            var drift = await _simulator.Client.GetAsync(
                "subscriptions/" + ArmSimulatorFixture.SubscriptionId + "/resourceGroups/rg-gitops/providers/Microsoft.Storage/storageAccounts/stgitopsreconciler/queueServices/default/queues/" + name + "?api-version=2023-05-01");
            Assert.True(drift.IsSuccessStatusCode, $"{name} queue: {(int)drift.StatusCode}");
        }

        var plan = await CliRunner.RunAsync(["plan", Infra, .. arm]);
        Assert.True(plan.ExitCode == ExitCodes.Success, "second plan is not clean:\n" + plan.Out + plan.Error);

        // prod declares the same footprint: it finds everything in place (prune has an empty inventory: nothing to delete).
        arm[1] = "prod";
        var prod = await CliRunner.RunAsync(["plan", Infra, .. arm]);
        Assert.True(prod.ExitCode == ExitCodes.Success, "prod plan is not clean:\n" + prod.Out + prod.Error);
    }
}
