namespace GitOps.Cli.Tests;

/// <summary><c>gitops serve</c> refuses to open the api beyond loopback without an API key.</summary>
public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("10.1.2.3")]
    [InlineData("gitops.internal.example")]
    public async Task Serve_Without_An_Api_Key_Refuses_A_Non_Loopback_Host_And_Names_The_Setting(string host)
    {
        // No settings file and no storage: the refusal comes before anything is opened.
        Assert.Null(Environment.GetEnvironmentVariable("GitOps__ApiKey"));

        var (code, _, error) = await CliRunner.RunAsync("serve", "--host", host, "--port", "0");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("GitOps__ApiKey", error, StringComparison.Ordinal);
        Assert.Contains("loopback", error, StringComparison.Ordinal);
    }
}
