using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Issue 11 item 7: a run resolves each branch tip once (the default branch's doubles as the environment's).</summary>
public sealed class BranchResolveTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";

    private readonly FakeConfigSource _inner = new();
    private readonly CountingConfigSource _source;
    private readonly InMemoryRunStore _runs = new();

    public BranchResolveTests() => _source = new CountingConfigSource(_inner);

    private Reconciler Reconciler() => new(_source, new FakeArmClient(), _runs, new InMemoryStateStore(), new InMemoryLock(), new InMemoryQueue());

    private static string Config(string branch) => $"""
        environments:
          - name: prod
            path: envs/prod
            branch: {branch}
            subscriptionId: {Subscription}
        """;

    private const string Group = """
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-app
        location: westeurope
        """;

    private string Commit(string branch, string follows) =>
        _inner.Commit(branch, f => f.Add("gitops.yaml", Config(follows)).Add("envs/prod/rg.yaml", Group));

    private static ReconcileJob Job(string? commit, RunTrigger trigger) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = trigger,
        RequestedBy = trigger == RunTrigger.Manual ? "ada" : null,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
    };

    public static TheoryData<RunTrigger, bool> Triggers => new()
    {
        { RunTrigger.Push, true },
        { RunTrigger.Drift, false },
        { RunTrigger.Manual, false },
    };

    [Theory]
    [MemberData(nameof(Triggers))]
    public async Task Environment_On_The_Default_Branch_Resolves_The_Tip_Once(RunTrigger trigger, bool withCommit)
    {
        var sha = Commit("main", follows: "main");

        var run = (await Reconciler().ReconcileAsync(Job(withCommit ? sha : null, trigger))).Run!;

        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(sha, run.Commit!.Sha);
        Assert.Equal(["main"], _source.BranchResolves);
    }

    [Theory]
    [MemberData(nameof(Triggers))]
    public async Task Environment_On_Another_Branch_Resolves_The_Default_Branch_And_Its_Own(RunTrigger trigger, bool withCommit)
    {
        Commit("main", follows: "release");
        var release = Commit("release", follows: "release");

        var run = (await Reconciler().ReconcileAsync(Job(withCommit ? release : null, trigger))).Run!;

        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(release, run.Commit!.Sha);
        Assert.Equal(["main", "release"], _source.BranchResolves);
    }

    [Fact]
    public async Task Job_Commit_Behind_The_Tip_Is_Not_Resolved_Again()
    {
        var older = Commit("main", follows: "main");
        var tip = Commit("main", follows: "main");

        var run = (await Reconciler().ReconcileAsync(Job(older, RunTrigger.Manual))).Run!;

        Assert.Equal(tip, run.Commit!.Sha);
        Assert.Equal(["main"], _source.BranchResolves);
        Assert.Empty(_source.CommitResolves);
    }

    /// <summary>Counts the resolves that fetch: a branch tip (commit null) or a given commit.</summary>
    private sealed class CountingConfigSource(IConfigSource inner) : IConfigSource
    {
        public List<string> BranchResolves { get; } = [];

        public List<string> CommitResolves { get; } = [];

        public Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default)
        {
            if (commit is null)
            {
                BranchResolves.Add(branch ?? inner.GetDefaultBranch(repository));
            }
            else
            {
                CommitResolves.Add(commit);
            }

            return inner.ResolveAsync(repository, branch, commit, cancellationToken);
        }

        public string GetDefaultBranch(string repository) => inner.GetDefaultBranch(repository);

        public Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(repository, commit, folder, cancellationToken);

        public Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default) =>
            inner.IsAncestorAsync(repository, ancestor, descendant, cancellationToken);
    }
}
