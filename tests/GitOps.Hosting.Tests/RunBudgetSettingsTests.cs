using System.Text.Json.Nodes;
using GitOps.Core.Reconcile;
using GitOps.Hosting.Settings;
using GitOps.Testing;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Tests;

/// <summary>Issue 19: the run's time budget is a setting, checked at start-up, and fits inside the host's timeout.</summary>
public sealed class RunBudgetSettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_Budget_Defaults_To_Five_Minutes_And_Is_Read()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), GitOpsSettings.Load(Config()).RunBudget);
        Assert.Equal(TimeSpan.FromSeconds(90), GitOpsSettings.Load(Config(("GitOps:RunBudget", "00:01:30"))).RunBudget);
    }

    [Theory]
    [InlineData("00:20:00")]
    [InlineData("00:00:00")]
    [InlineData("five minutes")]
    public void A_Budget_Out_Of_Range_Fails_The_Start_Naming_The_Setting(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(("GitOps:RunBudget", value))));

        Assert.Contains("GitOps__RunBudget", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:15:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Longest_Budget_With_Its_Grace_Stays_Well_Under_The_Functions_Timeout()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "src", "GitOps.Functions", "host.json")))!;
        var timeout = TimeSpan.Parse(host["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(GitOpsSettings.MaxRunBudget + ReconcilerOptions.Default.RunBudgetGrace <= timeout * 2 / 3, $"{GitOpsSettings.MaxRunBudget} + {ReconcilerOptions.Default.RunBudgetGrace} against {timeout}");
        Assert.True(ReconcilerOptions.Default.RunBudget * 5 <= timeout);
    }
}
