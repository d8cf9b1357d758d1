namespace GitOps.Cli.Tests;

/// <summary>Every command explains itself: <c>--help</c> works and describes it; <c>--version</c> prints the version.</summary>
public sealed class HelpAndVersionTests
{
    public static TheoryData<string[]> Commands() => new()
    {
        new[] { "validate" }, new[] { "schema" }, new[] { "plan" }, new[] { "apply" }, new[] { "armsim" }, new[] { "serve" }, new[] { "sync" },
        new[] { "runs" }, new[] { "runs", "list" }, new[] { "runs", "show" }, new[] { "webhook" }, new[] { "webhook", "inspect" },
        new[] { "quickstart" }, new[] { "suspend" }, new[] { "resume" }, new[] { "rollback" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_Command_Has_Help_With_A_Description_And_Its_Options(string[] command)
    {
        var (code, output, _) = await CliRunner.RunAsync([.. command, "--help"]);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Description:", output, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        var description = output.Split('\n').SkipWhile(l => !l.StartsWith("Description:", StringComparison.Ordinal)).Skip(1).First().Trim();
        Assert.True(description.Length > 20, $"'{string.Join(' ', command)}' has no real description: '{description}'");
    }

    [Fact]
    public async Task Root_Help_Lists_Every_Command()
    {
        var (code, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, code);
        foreach (var name in new[] { "validate", "schema", "plan", "apply", "armsim", "serve", "sync", "runs", "webhook", "quickstart", "suspend", "resume", "rollback" })
        {
            Assert.Contains($"  {name}", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_Prints_The_Assembly_Version()
    {
        var (code, output, _) = await CliRunner.RunAsync("--version");

        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith(typeof(GitOpsCli).Assembly.GetName().Version!.ToString(3), output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_Command_Is_An_Error()
    {
        var (code, _, error) = await CliRunner.RunAsync("deploy-everything");

        Assert.NotEqual(ExitCodes.Success, code);
        Assert.Contains("deploy-everything", error, StringComparison.Ordinal);
    }
}
