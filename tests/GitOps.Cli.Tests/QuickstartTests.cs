namespace GitOps.Cli.Tests;

/// <summary>The quick start is the end-to-end test of the whole loop: Azurite, git, webhook, serve, ARM simulator, drift timer.</summary>
[Trait("Category", "Integration")]
public sealed class QuickstartTests
{
    [Fact]
    public async Task Quickstart_Applies_The_Pushed_Commit_And_Corrects_Drift_Then_Cleans_Up()
    {
        var (code, output, error) = await CliRunner.RunAsync("quickstart", "--timeout", "100");

        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        Assert.Contains("[6/9] Deliver the push webhook", output, StringComparison.Ordinal);
        Assert.Contains("ok: webhook answered 202 Accepted: {\"status\":\"accepted\"", output, StringComparison.Ordinal);

        var pushed = System.Text.RegularExpressions.Regex.Match(output, @"\[5/9\][^\n]*\n\s+ok: commit (?<sha>[0-9a-f]{7}) adds tag");
        Assert.True(pushed.Success, output);
        Assert.Matches($@"outcome\s+applied: Applied {pushed.Groups["sha"].Value}", output);
        Assert.Contains($"applied commit {pushed.Groups["sha"].Value}", output, StringComparison.Ordinal);

        Assert.Contains("trigger      drift", output, StringComparison.Ordinal);
        Assert.Contains("/tags/owner: \"someone-in-the-portal\" → \"platform-team\"", output, StringComparison.Ordinal);
        Assert.Contains("Quick start succeeded", output, StringComparison.Ordinal);

        // Everything it made is gone: the sample's remote (and so its temp folder) no longer exists.
        var remote = System.Text.RegularExpressions.Regex.Match(output, @"remote (?<path>\S+) \(bare\)");
        Assert.True(remote.Success, output);
        Assert.False(Directory.Exists(Path.GetDirectoryName(remote.Groups["path"].Value)), remote.Groups["path"].Value);
    }
}
