using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// Every setting <c>GitOpsSettings.Load</c> reads is in <c>local.settings.sample.json</c> and in
/// <c>docs/settings.md</c>. The keys are scanned from GitOpsSettings.cs, so a new setting cannot go undocumented.
/// </summary>
public sealed partial class SettingsDocumentationTests
{
    private static readonly string s_root = RepositoryRoot.Find();

    [GeneratedRegex("""(?<section>section|repo|armSection|keyVaultSection)\["(?<key>[A-Za-z]+)"\]""")]
    private static partial Regex IndexerRead();

    [GeneratedRegex("(?:Int|Time)\\(queue, \"(?<key>[A-Za-z]+)\"")]
    private static partial Regex QueueRead();

    [GeneratedRegex("(?:Int|Time)\\(section, \"(?<key>[A-Za-z]+)\"")]
    private static partial Regex TopLevelRead();

    [GeneratedRegex("(?:Int|Time)\\(retention, \"(?<key>[A-Za-z]+)\"")]
    private static partial Regex RetentionRead();

    [GeneratedRegex("(?:(?:Int|Time)\\(events, \"|events\\[\")(?<key>[A-Za-z]+)")]
    private static partial Regex EventsRead();

    /// <summary>The settings as documented: a repository's name is the placeholder <c>&lt;name&gt;</c>.</summary>
    public static IReadOnlyList<string> SettingsReadByLoad()
    {
        var source = File.ReadAllText(Path.Combine(s_root, "src", "GitOps.Hosting", "Settings", "GitOpsSettings.cs"));
        var settings = new SortedSet<string>(StringComparer.Ordinal) { "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", GitOps.Hosting.Settings.GitOpsSettings.DriftScheduleSetting, GitOps.Hosting.Settings.GitOpsSettings.RetentionScheduleSetting };
        foreach (Match match in IndexerRead().Matches(source))
        {
            var key = match.Groups["key"].Value;
            settings.Add(match.Groups["section"].Value switch
            {
                "repo" => $"GitOps__Repositories__<name>__{key}",
                "armSection" => $"GitOps__Arm__{key}",
                "keyVaultSection" => $"GitOps__KeyVault__{key}",
                _ => $"GitOps__{key}",
            });
        }

        foreach (Match match in QueueRead().Matches(source))
        {
            settings.Add($"GitOps__Queue__{match.Groups["key"].Value}");
        }

        foreach (Match match in TopLevelRead().Matches(source))
        {
            settings.Add($"GitOps__{match.Groups["key"].Value}");
        }

        foreach (Match match in RetentionRead().Matches(source))
        {
            settings.Add($"GitOps__Retention__{match.Groups["key"].Value}");
        }

        foreach (Match match in EventsRead().Matches(source))
        {
            settings.Add($"GitOps__Events__{match.Groups["key"].Value}");
        }

        return settings.ToList();
    }

    [Fact]
    public void Scan_Finds_The_Settings_Load_Reads()
    {
        var settings = SettingsReadByLoad();

        Assert.Contains("GitOps__Repositories__<name>__WebhookSecret", settings);
        Assert.Contains("GitOps__Arm__Token", settings);
        Assert.Contains("GitOps__KeyVault__AllowedHostSuffixes", settings);
        Assert.Contains("GitOps__Queue__MaxDequeueCount", settings);
        Assert.Contains("GitOps__DriftSchedule", settings);
        Assert.Contains("GitOps__RetryAfterBudget", settings);
        Assert.True(settings.Count >= 25, string.Join(", ", settings));
    }

    [Fact]
    public void Sample_Has_Every_Setting()
    {
        var sample = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(Path.Combine(s_root, "local.settings.sample.json"))));
        Assert.False(sample["IsEncrypted"]!.GetValue<bool>());
        var values = sample["Values"]!.AsObject();
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]!.GetValue<string>());

        var missing = SettingsReadByLoad()
            .Where(setting => !values.Any(v => Regex.IsMatch(v.Key, "^" + Regex.Escape(setting).Replace("<name>", "[A-Za-z0-9-]+", StringComparison.Ordinal) + "$")))
            .ToList();
        Assert.True(missing.Count == 0, "local.settings.sample.json lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void Sample_Shows_Secrets_Only_As_References()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(s_root, "local.settings.sample.json")))!["Values"]!.AsObject();
        foreach (var (key, value) in values.Where(v => Regex.IsMatch(v.Key, "(Token|Secret|ApiKey)$")))
        {
            var text = value!.GetValue<string>();
            Assert.True(
                text.StartsWith("file:", StringComparison.Ordinal) || text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal),
                $"{key} must be a reference (file:, env: or a Key Vault reference), not a value.");
        }
    }

    [Fact]
    public void Settings_Doc_Has_A_Row_For_Every_Setting()
    {
        var doc = File.ReadAllText(Path.Combine(s_root, "docs", "settings.md"));

        var missing = SettingsReadByLoad().Where(setting => !doc.Contains($"| `{setting}` |", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/settings.md lacks a table row for: " + string.Join(", ", missing));
    }
}
