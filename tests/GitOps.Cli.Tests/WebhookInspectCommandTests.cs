using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary><c>gitops webhook inspect</c> over every delivery of the vendored webhook corpus (<c>tests/GitOps.Testing/testdata/webhooks</c>).</summary>
public sealed class WebhookInspectCommandTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(WebhookCorpus.Directory(), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Inspect_Prints_The_Normalized_Event_And_Exits_By_Authenticity(string sample)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(WebhookCorpus.Directory(), sample)))!.AsObject();
        var expected = json["expected"]!.AsObject();
        using var folder = new TempFolder()
            .Write("headers.json", json["headers"]!.ToJsonString())
            .Write("body", json["body"]!.GetValue<string>());
        var secret = json["secret"]?.GetValue<string>() ?? json["auth"]?["password"]?.GetValue<string>();
        List<string> args = ["webhook", "inspect", "--headers", Path.Combine(folder.Path, "headers.json"), "--body", Path.Combine(folder.Path, "body")];
        if (secret is not null)
        {
            args.AddRange(["--secret", secret]);
        }

        var (code, output, error) = await CliRunner.RunAsync([.. args]);

        var authentic = expected["authentic"]!.GetValue<bool>();
        Assert.True(code == (authentic ? ExitCodes.Success : ExitCodes.NotAuthentic), $"exit {code}: {error}");
        var printed = JsonNode.Parse(output)!.AsObject();
        string[] fields = ["provider", "event", "deliveryId", "authentic", "isPush", "repoFullName", "cloneUrls", "ref", "branch", "tag", "tagName", "before", "after", "deleted", "pusher", "changedPaths"];
        foreach (var field in fields)
        {
            Assert.True(printed.ContainsKey(field), $"missing field '{field}'");
        }

        Assert.Equal(authentic, printed["authentic"]!.GetValue<bool>());
        Assert.Equal(expected["isPush"]!.GetValue<bool>(), printed["isPush"]!.GetValue<bool>());
        foreach (var field in new[] { "ref", "branch", "before", "after" })
        {
            Assert.Equal(expected[field]?.ToJsonString(), printed[field]?.ToJsonString());
        }
    }

    public static TheoryData<string> PullRequestSamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(PullRequestFolder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string PullRequestFolder => Path.Combine(RepositoryRoot.Find(), "tests", "GitOps.Testing", "testdata", "pull-requests");

    [Theory]
    [MemberData(nameof(PullRequestSamples))]
    public async Task Inspect_Prints_A_Pull_Request_And_Says_Whether_It_Is_Previewed(string sample)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(PullRequestFolder, sample)))!.AsObject();
        var expected = json["expected"]!.AsObject();
        using var folder = new TempFolder()
            .Write("headers.json", json["headers"]!.ToJsonString())
            .Write("body", json["body"]!.GetValue<string>());
        var secret = json["secret"]?.GetValue<string>() ?? json["auth"]?["password"]?.GetValue<string>();
        List<string> args = ["webhook", "inspect", "--headers", Path.Combine(folder.Path, "headers.json"), "--body", Path.Combine(folder.Path, "body")];
        if (secret is not null)
        {
            args.AddRange(["--secret", secret]);
        }

        var (code, output, error) = await CliRunner.RunAsync([.. args]);

        Assert.True(code == ExitCodes.Success, $"exit {code}: {error}");
        var pullRequest = JsonNode.Parse(output)!["pullRequest"]!.AsObject();
        foreach (var field in new[] { "previewable", "number", "headSha", "targetBranch", "sourceBranch", "repoFullName", "fromFork", "author" })
        {
            Assert.Equal(expected[field]?.ToJsonString(), pullRequest[field]?.ToJsonString());
        }

        var previewable = expected["previewable"]!.GetValue<bool>();
        Assert.Contains($"authentic pull request #{expected["number"]}", error, StringComparison.Ordinal);
        Assert.Contains(previewable ? "are previewed" : "nothing is previewed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_Headers_File_Exits_One()
    {
        using var folder = new TempFolder().Write("headers.json", "[not json").Write("body", "{}");

        var (code, _, error) = await CliRunner.RunAsync("webhook", "inspect", "--headers", Path.Combine(folder.Path, "headers.json"), "--body", Path.Combine(folder.Path, "body"));

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_Secret_Explains_The_Signature_Mismatch()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(WebhookCorpus.Directory(), "github-push.json")))!.AsObject();
        using var folder = new TempFolder().Write("headers.json", json["headers"]!.ToJsonString()).Write("body", json["body"]!.GetValue<string>());

        var (code, _, error) = await CliRunner.RunAsync("webhook", "inspect", "--headers", Path.Combine(folder.Path, "headers.json"), "--body", Path.Combine(folder.Path, "body"), "--secret", "not-the-secret");

        Assert.Equal(ExitCodes.NotAuthentic, code);
        Assert.Contains("signature does not match", error, StringComparison.Ordinal);
    }
}
