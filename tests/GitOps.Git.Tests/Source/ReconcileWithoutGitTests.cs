using System.ComponentModel;
using System.Diagnostics;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;
using GitOps.Core.Tests.Reconcile;
using GitOps.Git.Source;

namespace GitOps.Git.Tests.Source;

/// <summary>Runs alone: it changes the process's PATH, which every other test's git CLI (building repositories) needs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WithoutGitOnPathCollection
{
    public const string Name = "Without git on PATH";
}

[Collection(WithoutGitOnPathCollection.Name)]
public sealed class ReconcileWithoutGitTests : IDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";
    private const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_Full_Reconcile_Reads_The_Repository_With_No_Git_Program_On_Path()
    {
        // The repository is built with the git CLI before PATH loses it; everything after is the reconciler's own code.
        _context.Origin
            .WriteFile("gitops.yaml", $"environments:\n  - name: prod\n    path: envs/./prod\n    branch: main\n    subscriptionId: {Subscription}\n")
            .WriteFile("envs/prod/group.yaml", "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-app\nlocation: westeurope\n");
        var sha = _context.Origin.Commit("Add the resource group");
        var emptyPath = Path.Combine(_context.CacheRoot, "empty-path");
        Directory.CreateDirectory(emptyPath);
        var arm = new FakeArmClient();
        var runs = new InMemoryRunStore();
        var source = new GitConfigSource(_context.CreateClient(), new RepositoryRegistry().Add("platform", _context.Repository));
        var reconciler = new Reconciler(source, arm, runs, new InMemoryStateStore(), new InMemoryLock(), new InMemoryQueue());

        var path = Environment.GetEnvironmentVariable("PATH");
        ReconcileResult result;
        try
        {
            Environment.SetEnvironmentVariable("PATH", emptyPath);
            Assert.Throws<Win32Exception>(() => Process.Start(new ProcessStartInfo("git", "--version") { UseShellExecute = false }));

            result = await reconciler.ReconcileAsync(new ReconcileJob
            {
                JobId = Guid.NewGuid().ToString("N"),
                Repository = "platform",
                Environment = "prod",
                Commit = null,
                Trigger = RunTrigger.Push,
                EnqueuedAt = DateTimeOffset.UtcNow,
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }

        Assert.Equal(JobDisposition.Complete, result.Disposition);
        var run = Assert.Single(runs.Saved);
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(sha, run.Commit!.Sha);
        Assert.True(arm.Exists(GroupId));
    }
}
