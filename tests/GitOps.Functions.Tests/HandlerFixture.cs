using GitOps.ArmSimulator;
using GitOps.Functions;
using GitOps.Hosting;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Functions.Tests;

/// <summary>
/// The handler as the Functions host runs it: on 127.0.0.1 and a free port, with a real runtime on a private Azurite,
/// the ARM simulator over HTTPS and a real git repository, all configured through settings only.
/// </summary>
public sealed class HandlerFixture : IAsyncLifetime
{
    /// <summary>The webhook secret of the watched repository.</summary>
    public const string WebhookSecret = "handler-test-webhook-secret";

    /// <summary>The watched repository's name in settings and jobs.</summary>
    public const string RepositoryName = "infra";

    /// <summary>The owner/name the fake GitHub reports.</summary>
    public const string FullName = "acme/infra";

    private readonly AzuriteFixture _azurite = new();
    private readonly ArmSimulatorFixture _arm = new();
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "gitops-handler-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private WebApplication? _app;

    public GitRepositoryBuilder Repository { get; } = GitRepositoryBuilder.Create();

    public string Head { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = null!;

    public GitOpsRuntime Runtime => _app!.Services.GetRequiredService<GitOpsRuntime>();

    public ArmSimulatorState Arm => _arm.State;

    public string StorageConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_azurite.InitializeAsync(), _arm.InitializeAsync());
        Directory.CreateDirectory(_workDirectory);
        var caPath = Path.Combine(_workDirectory, "arm-ca.pem");
        await File.WriteAllTextAsync(caPath, _arm.CertificatePem);

        Repository
            .WriteFile("gitops.yaml", $"""
                environments:
                  - name: prod
                    path: envs/prod
                    subscriptionId: {ArmSimulatorFixture.SubscriptionId}
                    drift:
                      interval: 1h
                  - name: dev
                    path: envs/dev
                    subscriptionId: {ArmSimulatorFixture.SubscriptionId}
                  - name: staging
                    path: envs/staging
                    subscriptionId: {ArmSimulatorFixture.SubscriptionId}
                  - name: nightly
                    path: envs/nightly
                    subscriptionId: {ArmSimulatorFixture.SubscriptionId}
                    drift:
                      interval: 1h
                """)
            .WriteFile("envs/prod/rg.yaml", ResourceGroup("rg-handler-prod"))
            .WriteFile("envs/dev/rg.yaml", ResourceGroup("rg-handler-dev"))
            .WriteFile("envs/staging/rg.yaml", ResourceGroup("rg-handler-staging"))
            .WriteFile("envs/nightly/rg.yaml", ResourceGroup("rg-handler-nightly"));
        Head = Repository.Commit("declare four environments");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["GitOps:Container"] = AzuriteFixture.UniqueName("handler"),
            ["GitOps:QueueName"] = AzuriteFixture.UniqueName("reconcile"),
            [$"GitOps:Repositories:{RepositoryName}:Url"] = Repository.Url,
            [$"GitOps:Repositories:{RepositoryName}:DefaultBranch"] = "main",
            [$"GitOps:Repositories:{RepositoryName}:WebhookSecret"] = WebhookSecret,
            [$"GitOps:Repositories:{RepositoryName}:FullName"] = FullName,
            ["GitOps:Arm:Endpoint"] = _arm.Endpoint.AbsoluteUri,
            ["GitOps:Arm:CaCertificatePath"] = caPath,
            ["GitOps:Arm:Token"] = ArmSimulatorFixture.Token,
            ["GitOps:GitCacheRoot"] = Path.Combine(_workDirectory, "git-cache"),
        }).Build();

        // Port 0: Kestrel picks a free port as it binds, and reports it; a probed port could be taken in between.
        _app = await HandlerApp.BuildAsync(configuration, port: 0);
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _arm.DisposeAsync();
        await _azurite.DisposeAsync();
        Repository.Dispose();
        GitRepositoryBuilder.DeleteDirectory(_workDirectory);
    }

    private static string ResourceGroup(string name) => $"""
        type: Microsoft.Resources/resourceGroups@2022-09-01
        name: {name}
        location: westeurope
        tags:
          owner: platform
        """;
}

[CollectionDefinition(Name)]
public sealed class HandlerCollection : ICollectionFixture<HandlerFixture>
{
    public const string Name = "handler";
}
