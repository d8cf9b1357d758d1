using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using Moq;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Runs and previews name their caller for every ARM request, which is what the throttle budget schedules by.</summary>
public sealed class ArmCallerTests
{
    private readonly InMemoryWorld _world = new();

    private string Commit(string owner) => _world.Source.Commit("main", files => files
        .Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                branch: main
                subscriptionId: {InMemoryWorld.Subscription}
                drift: {"{"} interval: 30m, mode: correct {"}"}
            """)
        .Add("envs/prod/app.yaml", $"""
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-app
            location: westeurope
            tags: {"{"} owner: {owner} {"}"}
            ---
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: stapp01
            resourceGroup: rg-app
            location: westeurope
            sku: {"{"} name: Standard_LRS {"}"}
            kind: StorageV2
            """));

    [Theory]
    [InlineData(RunTrigger.Push, ArmCallPriority.Push)]
    [InlineData(RunTrigger.Rollback, ArmCallPriority.Push)]
    [InlineData(RunTrigger.Manual, ArmCallPriority.Manual)]
    [InlineData(RunTrigger.Retry, ArmCallPriority.Manual)]
    [InlineData(RunTrigger.Drift, ArmCallPriority.Drift)]
    public void Priority_Follows_The_Trigger(RunTrigger trigger, ArmCallPriority expected) =>
        Assert.Equal(expected, Reconciler.PriorityOf(trigger));

    [Fact]
    public async Task Every_Arm_Call_Of_A_Run_Is_Made_As_Its_Environment_At_The_Triggers_Priority()
    {
        var sha = Commit("platform");
        var reconciler = _world.Reconciler();

        var push = await reconciler.ReconcileAsync(InMemoryWorld.Job(sha));
        Assert.Equal(RunOutcome.Applied, push.Run!.Outcome);
        var pushCalls = _world.Arm.Callers.ToList();
        Assert.Contains(pushCalls, c => c.Method == "GET");
        Assert.Contains(pushCalls, c => c.Method == "PUT");
        Assert.All(pushCalls, c => Assert.Equal(new ArmCaller(ArmCallPriority.Push, "platform/prod"), c.Caller));

        _world.Arm.Callers.Clear();
        var drift = await reconciler.ReconcileAsync(InMemoryWorld.Job(null, RunTrigger.Drift));
        Assert.Equal(RunOutcome.NoChanges, drift.Run!.Outcome);
        Assert.NotEmpty(_world.Arm.Callers);
        Assert.All(_world.Arm.Callers, c => Assert.Equal(new ArmCaller(ArmCallPriority.Drift, "platform/prod"), c.Caller));

        // The run's caller ends with the run: whatever the host does next is not charged to it.
        Assert.Null(ArmCallContext.Current);
    }

    [Fact]
    public async Task A_Run_Entered_Inside_Another_Caller_Restores_It()
    {
        var sha = Commit("platform");
        var outer = new ArmCaller(ArmCallPriority.Drift, "someone-else");
        using (ArmCallContext.Enter(outer))
        {
            await _world.Reconciler().ReconcileAsync(InMemoryWorld.Job(sha));
            Assert.Equal(outer, ArmCallContext.Current);
        }

        Assert.All(_world.Arm.Callers, c => Assert.Equal(ArmCallPriority.Push, c.Caller!.Priority));
        Assert.Null(ArmCallContext.Current);
    }

    [Fact]
    public async Task A_Previews_Reads_Are_Manual_In_A_Lane_Of_Their_Own()
    {
        var applied = Commit("platform");
        await _world.Reconciler().ReconcileAsync(InMemoryWorld.Job(applied));
        var head = Commit("team-a");
        _world.Arm.Callers.Clear();

        var pullRequests = new Mock<IPullRequestSource>();
        var headCommit = await _world.Source.ResolveAsync("platform", branch: null, commit: head);
        pullRequests.Setup(p => p.FetchHeadAsync("platform", It.IsAny<PullRequestRef>(), It.IsAny<CancellationToken>())).ReturnsAsync(headCommit);
        pullRequests.Setup(p => p.ChangedPathsAsync("platform", It.IsAny<string>(), head, It.IsAny<CancellationToken>())).ReturnsAsync(["envs/prod/app.yaml"]);
        var previews = new Mock<IPreviewStore>();
        var runner = new PreviewRunner(_world.Source, pullRequests.Object, _world.Arm, _world.States, _world.Runs, previews.Object);

        var result = await runner.RunAsync(new PreviewJob
        {
            JobId = "preview-1",
            Repository = "platform",
            Environment = "prod",
            PullRequest = new PullRequestRef { Provider = "github", Number = 7, HeadSha = head, TargetBranch = "main" },
            EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
        });

        Assert.Equal(RunOutcome.Previewed, result.Run.Outcome);
        Assert.NotEmpty(_world.Arm.Callers);
        Assert.All(_world.Arm.Callers, c => Assert.Equal(new ArmCaller(ArmCallPriority.Manual, "preview:platform/prod"), c.Caller));
        Assert.Null(ArmCallContext.Current);
    }
}
