using GitOps.Testing;

namespace GitOps.Git.Tests.Source;

public sealed class NoGitProgramTests
{
    [Fact]
    public void The_Adapter_Starts_No_Process()
    {
        // libgit2 does the git work in-process; a process start would bring back the dependency on a git binary.
        var sources = Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "src", "GitOps.Git"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, file =>
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("ProcessStartInfo", StringComparison.Ordinal) || text.Contains("Process.Start", StringComparison.Ordinal), $"{file} starts a process.");
        });
    }
}
