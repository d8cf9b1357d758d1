using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// What the worker tests run against: a real config repository (file URL) with one environment, the ARM simulator,
/// Azurite, and the app settings that wire them, as a Function App's settings would be.
/// </summary>
internal sealed class WorkerWorld : IDisposable
{
    public const string WebhookSecret = "worker-test-webhook-secret";
    public const string ApiKey = "worker-test-api-key";
    public const string FullName = "acme/app-config";

    private readonly string _temp = Directory.CreateTempSubdirectory("worker-tests-").FullName;

    public WorkerWorld(AzuriteFixture azurite, ArmSimulatorFixture arm)
    {
        Azurite = azurite;
        SubscriptionId = Guid.NewGuid().ToString();
        Container = AzuriteFixture.UniqueName("gitops");
        Repository = GitRepositoryBuilder.Create();
        Repository.WriteFile("README.md", "config\n").Commit("initial");
        var pem = Path.Combine(_temp, "arm-ca.pem");
        File.WriteAllText(pem, arm.CertificatePem);
        Settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["GITOPS_DRIFT_SCHEDULE"] = "0 */5 * * * *",
            ["GITOPS_RETENTION_SCHEDULE"] = "0 17 3 * * *",
            ["GitOps__Container"] = Container,
            ["GitOps__GitCacheRoot"] = Path.Combine(_temp, "git-cache"),
            ["GitOps__Repositories__app__Url"] = Repository.Url,
            ["GitOps__Repositories__app__FullName"] = FullName,
            ["GitOps__Repositories__app__WebhookSecret"] = WebhookSecret,
            ["GitOps__Arm__Endpoint"] = arm.Endpoint.ToString(),
            ["GitOps__Arm__CaCertificatePath"] = pem,
            ["GitOps__Arm__Token"] = ArmSimulatorFixture.Token,
            ["GitOps__ApiKey"] = ApiKey,
            ["GitOps__LeaseBusyDelay"] = "00:00:01",
        };
    }

    public AzuriteFixture Azurite { get; }

    public string SubscriptionId { get; }

    public string Container { get; }

    public GitRepositoryBuilder Repository { get; }

    public Dictionary<string, string> Settings { get; }

    /// <summary>Commits gitops.yaml with environment <c>dev</c> (folder envs/dev, branch main) and one resource group.</summary>
    public string CommitEnvironment(string resourceGroup, string tag)
    {
        Repository.WriteFile("gitops.yaml", $"version: 1\nenvironments:\n  - name: dev\n    path: envs/dev\n    branch: main\n    subscriptionId: {SubscriptionId}\n    drift: {{ interval: 5m, mode: correct }}\n");
        Repository.WriteFile($"envs/dev/{resourceGroup}.yaml", $"type: Microsoft.Resources/resourceGroups@2021-04-01\nname: {resourceGroup}\nlocation: westeurope\ntags: {{ owner: {tag} }}\n");
        return Repository.Commit($"{resourceGroup} owned by {tag}");
    }

    /// <summary>A GitHub push delivery for <paramref name="after"/>, signed over its exact bytes with the repository's secret.</summary>
    public static (byte[] Body, Dictionary<string, string> Headers) GitHubPush(string cloneUrl, string before, string after, string[] modified, string secret = WebhookSecret)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["before"] = before,
            ["after"] = after,
            ["repository"] = new JsonObject { ["name"] = "app-config", ["full_name"] = FullName, ["clone_url"] = cloneUrl },
            ["pusher"] = new JsonObject { ["name"] = "alice" },
            ["commits"] = new JsonArray(new JsonObject { ["id"] = after, ["message"] = "change", ["added"] = new JsonArray(), ["modified"] = new JsonArray(modified.Select(m => (JsonNode)m).ToArray()), ["removed"] = new JsonArray() }),
        }.ToJsonString());
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return (body, new Dictionary<string, string>
        {
            ["X-GitHub-Event"] = "push",
            ["X-GitHub-Delivery"] = Guid.NewGuid().ToString(),
            ["X-Hub-Signature-256"] = "sha256=" + signature,
        });
    }

    /// <summary>The run records of <c>app/dev</c>, newest first, read from the app's storage as the api would.</summary>
    public Task<IReadOnlyList<RunRecord>> RunsAsync()
    {
        var storage = new GitOpsStorage(
            StorageConnection.FromSettings("AzureWebJobsStorage", name => Settings.GetValueOrDefault(name)),
            new GitOpsStorageOptions { ContainerName = Container });
        return storage.Runs.ListAsync("app/dev", 20);
    }

    public void Dispose()
    {
        Repository.Dispose();
        GitRepositoryBuilder.DeleteDirectory(_temp);
    }
}
