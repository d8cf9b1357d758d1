using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Hosting.Tests;

/// <summary>
/// One test's world: a real config repository (file URL), its own container, queue and subscription on the shared
/// Azurite and ARM simulator, and the settings that wire them.
/// </summary>
internal sealed class TestWorld : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("hosting-tests-").FullName;

    public TestWorld(AzuriteFixture azurite, ArmSimulatorFixture arm)
    {
        Azurite = azurite;
        Arm = arm;
        SubscriptionId = Guid.NewGuid().ToString();
        Container = AzuriteFixture.UniqueName("gitops");
        Queue = AzuriteFixture.UniqueName("reconcile");
        EventsQueue = AzuriteFixture.UniqueName("events");
        Repository = GitRepositoryBuilder.Create();
        var pem = Path.Combine(_temp, "arm-ca.pem");
        File.WriteAllText(pem, arm.CertificatePem);
        Values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["GitOps:Container"] = Container,
            ["GitOps:QueueName"] = Queue,
            ["GitOps:Events:QueueName"] = EventsQueue,
            ["GitOps:Events:CoalesceWindow"] = "00:00:01",
            ["GitOps:GitCacheRoot"] = Path.Combine(_temp, "git-cache"),
            ["GitOps:Repositories:app:Url"] = Repository.Url,
            ["GitOps:Repositories:app:FullName"] = "acme/app-config",
            ["GitOps:Repositories:app:WebhookSecret"] = WebhookSecret,
            ["GitOps:Arm:Endpoint"] = arm.Endpoint.ToString(),
            ["GitOps:Arm:CaCertificatePath"] = pem,
            ["GitOps:Arm:Token"] = ArmSimulatorFixture.Token,
            ["GitOps:Queue:BatchSize"] = "4",
            ["GitOps:Queue:NewBatchThreshold"] = "2",
            ["GitOps:Queue:VisibilityTimeout"] = "00:00:01",
            ["GitOps:Queue:ProcessingTimeout"] = "00:00:10",
            ["GitOps:Queue:MaxDequeueCount"] = "3",
            ["GitOps:Queue:MaxPollingInterval"] = "00:00:00.200",
            ["GitOps:DriftSchedule"] = "*/1 * * * * *",
            ["GitOps:LeaseBusyDelay"] = "00:00:01",
        };
    }

    public const string WebhookSecret = "test-webhook-secret-value";

    public AzuriteFixture Azurite { get; }

    public ArmSimulatorFixture Arm { get; }

    public string SubscriptionId { get; }

    public string Container { get; }

    public string Queue { get; }

    /// <summary>This test's ARM events queue (the simulator delivers there once <see cref="RouteEvents"/> is called).</summary>
    public string EventsQueue { get; }

    /// <summary>Makes the shared simulator deliver the events of this test's subscription to <see cref="EventsQueue"/>.</summary>
    public void RouteEvents(GitOps.ArmSimulator.Events.ArmEventSchema schema = GitOps.ArmSimulator.Events.ArmEventSchema.EventGrid, bool base64 = true) =>
        Arm.State.SetEventDestination(SubscriptionId, new GitOps.ArmSimulator.Events.ArmEventDestination
        {
            ConnectionString = Azurite.ConnectionString,
            QueueName = EventsQueue,
            Schema = schema,
            Base64 = base64,
        });

    public GitRepositoryBuilder Repository { get; }

    public Dictionary<string, string?> Values { get; }

    public string TempPath => _temp;

    /// <summary>Writes gitops.yaml with the given environments (name, path, branch) and commits.</summary>
    public string CommitConfig(string message, params (string Name, string Path, string Branch)[] environments)
    {
        var yaml = new System.Text.StringBuilder("version: 1\nenvironments:\n");
        foreach (var (name, path, branch) in environments)
        {
            yaml.Append($"  - name: {name}\n    path: {path}\n    branch: {branch}\n    subscriptionId: {SubscriptionId}\n    drift: {{ interval: 5m, mode: correct }}\n");
        }

        Repository.WriteFile("gitops.yaml", yaml.ToString());
        return Repository.Commit(message);
    }

    /// <summary>Writes one resource group manifest into a folder (not committed).</summary>
    public void WriteResourceGroup(string folder, string name, string? tag = null) =>
        Repository.WriteFile($"{folder}/{name}.yaml", $"type: Microsoft.Resources/resourceGroups@2021-04-01\nname: {name}\nlocation: westeurope\ntags: {{ owner: {tag ?? "platform"} }}\n");

    /// <summary>A default two-environment repository: dev and prod on main, each with one resource group.</summary>
    public string CommitTwoEnvironments()
    {
        WriteResourceGroup("envs/dev", "rg-dev");
        WriteResourceGroup("envs/prod", "rg-prod");
        return CommitConfig("two environments", ("dev", "envs/dev", "main"), ("prod", "envs/prod", "main"));
    }

    /// <summary>A push job of repository <c>app</c> for <paramref name="commit"/>.</summary>
    public static GitOps.Core.Runs.ReconcileJob PushJob(string commit, string environment = "dev") => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "app",
        Environment = environment,
        Commit = commit,
        Trigger = GitOps.Core.Runs.RunTrigger.Push,
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    public IConfiguration Configuration(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>(Values);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    public Task<GitOpsRuntime> RuntimeAsync(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var configuration = Configuration(extra);
        return GitOpsRuntime.CreateAsync(GitOpsSettings.Load(configuration), SettingsSources.Reader(configuration), NullLoggerFactory.Instance, time);
    }

    /// <summary>ARM writes (PUT/PATCH/DELETE) the simulator saw for this test's subscription.</summary>
    public IReadOnlyList<GitOps.ArmSimulator.ArmRequestRecord> Writes() =>
        Arm.State.Requests.Where(r => string.Equals(r.SubscriptionId, SubscriptionId, StringComparison.OrdinalIgnoreCase) && r.Method is "PUT" or "PATCH" or "DELETE").ToList();

    public void Dispose()
    {
        Arm.State.SetEventDestination(SubscriptionId, null);
        Repository.Dispose();
        GitRepositoryBuilder.DeleteDirectory(_temp);
    }
}
