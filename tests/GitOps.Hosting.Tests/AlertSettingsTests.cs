using GitOps.Core.Alerts;
using GitOps.Hosting.Alerts;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Tests;

public sealed class AlertSettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Alert_Sinks_Are_Read_With_Type_Url_Reference_And_Kinds()
    {
        var variable = "GITOPS_TEST_TEAMS_URL_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "https://example.webhook.office.com/webhookb2/abc");
        try
        {
            var settings = GitOpsSettings.Load(Config(
                ("GitOps:Alerts:ops:Type", "teams"),
                ("GitOps:Alerts:ops:Url", "env:" + variable),
                ("GitOps:Alerts:ops:Kinds", "RunFailed, jobPoisoned"),
                ("GitOps:Alerts:audit:Url", "https://audit.example.com/hooks/gitops")));

            Assert.Equal(2, settings.Alerts.Count);
            var audit = settings.Alerts[0];
            Assert.Equal("audit", audit.Name);
            Assert.Equal(AlertSinkType.Webhook, audit.Type);
            Assert.Empty(audit.Kinds);
            Assert.True(audit.Accepts(AlertKind.SuspensionOverdue));
            var ops = settings.Alerts[1];
            Assert.Equal(AlertSinkType.Teams, ops.Type);
            Assert.Equal(new Uri("https://example.webhook.office.com/webhookb2/abc"), ops.Url);
            Assert.Equal([AlertKind.RunFailed, AlertKind.JobPoisoned], ops.Kinds);
            Assert.False(ops.Accepts(AlertKind.DriftDetected));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Invalid_Alert_Settings_Are_Each_Named_Without_The_Url()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(
            ("GitOps:Alerts:a:Type", "pager"),
            ("GitOps:Alerts:a:Url", "https://x.example.com/secret-path-a"),
            ("GitOps:Alerts:b:Type", "slack"),
            ("GitOps:Alerts:c:Type", "slack"),
            ("GitOps:Alerts:c:Url", "not a url secret-path-c"),
            ("GitOps:Alerts:d:Url", "https://x.example.com/secret-path-d"),
            ("GitOps:Alerts:d:Kinds", "RunFailed,Everything"))));

        Assert.Contains("GitOps__Alerts__a__Type is 'pager'", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Alerts__b__Url is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Alerts__c__Url is not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Alerts__d__Kinds names 'Everything'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-path", error.Message, StringComparison.Ordinal);
    }
}
