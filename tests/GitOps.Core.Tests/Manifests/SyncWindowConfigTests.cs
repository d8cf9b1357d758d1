using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Config;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Manifests;

/// <summary>Issue 18 item 1: <c>windows:</c> in gitops.yaml, with every mistake reported at its line.</summary>
public sealed class SyncWindowConfigTests
{
    private static ConfigLoadResult Load(string windows) =>
        new ManifestLoader().LoadConfig(new InMemoryFileTree().Add("gitops.yaml", $"environments:\n  - name: prod\n    path: envs/prod\n    windows:\n{windows}"));

    [Fact]
    public void Reads_Allow_And_Deny_Windows_With_Defaults()
    {
        var result = Load("""
                  - kind: deny
                    name: weekend
                    schedule: "0 18 * * 5"
                    duration: 60h
                    timeZone: Europe/Berlin
                    triggers: [push, drift]
                  - { kind: allow, schedule: "0 9 * * 1-5", duration: PT8H }
            """);

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var windows = result.Find("prod")!.SyncWindows;
        Assert.Equal(2, windows.Count);
        Assert.Equal(SyncWindowKind.Deny, windows[0].Kind);
        Assert.Equal("weekend", windows[0].Name);
        Assert.Equal(TimeSpan.FromHours(60), windows[0].Duration);
        Assert.Equal("Europe/Berlin", windows[0].TimeZone);
        Assert.Equal([RunTrigger.Push, RunTrigger.Drift], windows[0].Triggers);
        Assert.Equal("gitops.yaml:5", windows[0].Source);
        Assert.Equal("UTC", windows[1].TimeZone);
        Assert.Equal([RunTrigger.Push, RunTrigger.Drift, RunTrigger.Manual], windows[1].Triggers);
    }

    [Theory]
    [InlineData("      - { kind: allow, schedule: \"0 25 * * *\", duration: 1h }\n", 5, "not a 5-field cron")]
    [InlineData("      - { kind: allow, schedule: \"0 0 0 9 * *\", duration: 1h }\n", 5, "not a 5-field cron")]
    [InlineData("      - { kind: allow, schedule: \"0 0 30 2 *\", duration: 1h }\n", 5, "never fires")]
    [InlineData("      - { kind: allow, schedule: \"0 9 * * *\", duration: 8 }\n", 5, "not a duration")]
    [InlineData("      - { kind: allow, schedule: \"0 9 * * *\", duration: 3650d }\n", 5, "not a duration")]
    [InlineData("      - { kind: allow, schedule: \"0 9 * * *\", duration: 1h, timeZone: Europe/Atlantis }\n", 5, "not a known time zone")]
    [InlineData("      - { kind: allow, schedule: \"0 9 * * *\", duration: 1h, triggers: [push, webhook] }\n", 5, "must be one of push, drift, manual")]
    [InlineData("      - { kind: allow, schedule: \"0 9 * * *\", duration: 1h, triggers: [] }\n", 5, "is empty")]
    [InlineData("      - { kind: maybe, schedule: \"0 9 * * *\", duration: 1h }\n", 5, "must be one of allow, deny")]
    [InlineData("      - { kind: allow, duration: 1h }\n", 5, "has no 'schedule'")]
    [InlineData("      - { kind: allow, schedule: \"0 9 * * *\", duration: 1h, timezone: UTC }\n", 5, "did you mean 'timeZone'")]
    public void Window_Errors_Name_The_Line(string windows, int line, string message)
    {
        var result = Load(windows);

        Assert.True(result.HasErrors);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("gitops.yaml", error.Location.File);
        Assert.Equal(line, error.Location.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Environments);
    }
}
