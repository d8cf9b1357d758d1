using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

public sealed class SecretReconcileTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";
    private const string SqlId = $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Sql/servers/sql-app";
    private const string SecretUrl = "https://kv.vault.azure.net/secrets/sql-admin";
    private const string FirstValue = "S3cr3t-Value-9f2c";
    private const string SecondValue = "R0tated-Value-77ab";

    private readonly FakeConfigSource _source = new();
    private readonly FakeArmClient _arm = new();
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryStateStore _states = new();
    private readonly InMemoryLock _locks = new();
    private readonly InMemoryQueue _queue = new();
    private readonly FakeSecretResolver _secrets = new();

    private Reconciler Reconciler() => new(_source, _arm, _runs, _states, _locks, _queue, secrets: _secrets);

    private string Commit(string field = "administratorLoginPassword") => _source.Commit("main", files => files
        .Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                branch: main
                subscriptionId: {Subscription}
            """)
        .Add("envs/prod/sql.yaml", $"""
            type: Microsoft.Sql/servers@2023-08-01
            name: sql-app
            resourceGroup: rg-app
            location: westeurope
            properties:
              administratorLogin: sqladmin
              {field}: ${"{{"} keyvault('{SecretUrl}') {"}}"}
            """));

    private static ReconcileJob Job(string? commit) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = commit is null ? RunTrigger.Drift : RunTrigger.Push,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
    };

    private int Puts => _arm.Calls.Count(c => c.Method == "PUT");

    // Everything a run leaves behind that a person or a tool can read.
    private async Task<string> EveryOutputAsync(ReconcileResult result)
    {
        var run = result.Run!;
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        return string.Join("\n",
            RunJson.Serialize(run),
            RunJson.Serialize(state),
            run.Plan is null ? "" : System.Text.Json.JsonSerializer.Serialize(run.Plan, RunJson.Options),
            run.Summary,
            string.Join("\n", run.Errors),
            string.Join("\n", run.Warnings),
            string.Join("\n", run.Results.Select(r => $"{r} {r.Message}")),
            string.Join("\n", _runs.Saved.Select(RunJson.Serialize)),
            result.ToString());
    }

    [Fact]
    public async Task Secret_Value_Reaches_Arm_Only_And_Is_Resent_Only_When_The_Version_Changes()
    {
        _secrets.Set(SecretUrl, FirstValue, "v1");
        var sha = Commit();
        var reconciler = Reconciler();

        // (1) the value is sent to ARM and (2) appears in no output.
        var first = await reconciler.ReconcileAsync(Job(sha));
        Assert.Equal(RunOutcome.Applied, first.Run!.Outcome);
        var (id, body) = Assert.Single(_arm.PutBodies);
        Assert.Equal(SqlId, id);
        Assert.Equal(FirstValue, JsonNode.Parse(body)!["properties"]!["administratorLoginPassword"]!.GetValue<string>());
        Assert.DoesNotContain(SecretReferencePrefix, body, StringComparison.Ordinal);
        var outputs = await EveryOutputAsync(first);
        Assert.DoesNotContain(FirstValue, outputs, StringComparison.Ordinal);

        // (3) same version: nothing to do, even though this fake GET returns the value it was sent.
        var second = await reconciler.ReconcileAsync(Job(null));
        Assert.Equal(RunOutcome.NoChanges, second.Run!.Outcome);
        Assert.Equal(1, Puts);
        Assert.DoesNotContain(FirstValue, await EveryOutputAsync(second), StringComparison.Ordinal);

        // (4) a new version: one update carrying the new value, still in no output.
        _secrets.Set(SecretUrl, SecondValue, "v2");
        var third = await reconciler.ReconcileAsync(Job(null));
        Assert.Equal(RunOutcome.Applied, third.Run!.Outcome);
        Assert.Equal(2, Puts);
        Assert.Contains(SecondValue, _arm.PutBodies.Last().Body, StringComparison.Ordinal);
        Assert.Equal(GitOps.Core.Planning.PlanAction.Update, Assert.Single(third.Run.Plan!.Changes).Action);
        var thirdOutputs = await EveryOutputAsync(third);
        Assert.DoesNotContain(SecondValue, thirdOutputs, StringComparison.Ordinal);
        Assert.DoesNotContain(FirstValue, thirdOutputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Secret_Field_Arm_Returns_Under_An_Unknown_Name_Is_Neither_Drift_Nor_Shown()
    {
        // "apiToken" is not on the redaction list, and this fake GET returns what was sent: only the version decides.
        _secrets.Set(SecretUrl, FirstValue, "v1");
        var reconciler = Reconciler();
        Assert.Equal(RunOutcome.Applied, (await reconciler.ReconcileAsync(Job(Commit("apiToken")))).Run!.Outcome);

        var second = await reconciler.ReconcileAsync(Job(null));

        Assert.Equal(RunOutcome.NoChanges, second.Run!.Outcome);
        Assert.Equal(1, Puts);
        Assert.DoesNotContain(FirstValue, await EveryOutputAsync(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_Secret_Fails_The_Run_Naming_The_Url_And_Writes_Nothing()
    {
        _secrets.Fail(SecretUrl, transient: true);
        var result = await Reconciler().ReconcileAsync(Job(Commit()));

        Assert.Equal(RunOutcome.Failed, result.Run!.Outcome);
        Assert.True(result.Run.Transient);
        Assert.Equal(JobDisposition.Retry, result.Disposition);
        Assert.Contains(SecretUrl, result.Run.Summary, StringComparison.Ordinal);
        Assert.Contains(result.Run.Errors, e => e.Contains(SecretUrl, StringComparison.Ordinal));
        Assert.Equal(0, Puts);
    }

    [Fact]
    public async Task Secret_Reference_Without_A_Resolver_Fails_Clearly()
    {
        var reconciler = new Reconciler(_source, _arm, _runs, _states, _locks, _queue);
        var result = await reconciler.ReconcileAsync(Job(Commit()));

        Assert.Equal(RunOutcome.Failed, result.Run!.Outcome);
        Assert.False(result.Run.Transient);
        Assert.Contains(result.Run.Errors, e => e.Contains("no Key Vault resolver", StringComparison.Ordinal) && e.Contains(SecretUrl, StringComparison.Ordinal));
        Assert.Equal(0, Puts);
    }

    private const string SecretReferencePrefix = GitOps.Core.Manifests.SecretReference.PlaceholderPrefix;

    private sealed class FakeSecretResolver : ISecretResolver
    {
        private readonly Dictionary<string, Func<ResolvedSecret>> _answers = new(StringComparer.Ordinal);

        public void Set(string url, string value, string version) => _answers[url] = () => new ResolvedSecret(value, version);

        public void Fail(string url, bool transient) =>
            _answers[url] = () => throw new SecretResolutionException(url, $"Key Vault is unavailable for {url}; the run will retry.", transient);

        public Task<ResolvedSecret> ResolveAsync(string secretUrl, CancellationToken cancellationToken = default) =>
            Task.FromResult(_answers[secretUrl]());
    }
}
