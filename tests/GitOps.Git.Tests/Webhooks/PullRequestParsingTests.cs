using System.Text;
using System.Text.Json.Nodes;
using GitOps.Git.Webhooks;
using GitOps.Testing;

namespace GitOps.Git.Tests.Webhooks;

/// <summary>Real pull-request deliveries (tests/GitOps.Testing/testdata/pull-requests) read as a preview reads them.</summary>
public sealed class PullRequestParsingTests
{
    private static string Folder => Path.Combine(RepositoryRoot.Find(), "tests", "GitOps.Testing", "testdata", "pull-requests");

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static JsonObject Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!.AsObject();

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_Pull_Request_Delivery_Is_Authenticated_Like_A_Push_And_Read_As_Expected(string file)
    {
        var sample = Load(file);
        var expected = sample["expected"]!.AsObject();
        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.True(result.Authentic);
        var pr = Assert.IsType<WebhookPullRequest>(result.Event!.PullRequest);
        var previewable = expected["previewable"]!.GetValue<bool>();
        Assert.Equal(previewable, pr.Previewable);
        Assert.Equal(previewable ? WebhookOutcome.Accepted : WebhookOutcome.Ignored, result.Outcome);
        Assert.Equal(previewable ? 202 : 200, result.StatusCode);
        Assert.Equal(expected["number"]!.GetValue<long>(), pr.Number);
        Assert.Equal(expected["headSha"]!.GetValue<string>(), pr.HeadSha);
        Assert.Equal(expected["targetBranch"]!.GetValue<string>(), pr.TargetBranch);
        Assert.Equal(expected["sourceBranch"]!.GetValue<string>(), pr.SourceBranch);
        Assert.Equal(expected["repoFullName"]!.GetValue<string>(), pr.RepoFullName);
        Assert.Equal(expected["fromFork"]!.GetValue<bool>(), pr.FromFork);
        Assert.Equal(expected["author"]!.GetValue<string>(), pr.Author);

        // The push fields stay empty: nothing that handles pushes can mistake a pull request for one.
        Assert.False(result.Event.IsPush);
        Assert.Null(result.Event.Ref);
        Assert.Null(result.Event.After);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_Pull_Request_Delivery_With_A_Wrong_Secret_Is_Refused(string file)
    {
        var sample = Load(file);
        sample["secret"] = "not-the-secret";
        if (sample["auth"] is JsonObject auth)
        {
            auth["password"] = "not-the-password";
        }

        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.False(result.Authentic);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task A_Replayed_Pull_Request_Delivery_Under_A_Fresh_Id_Is_A_Duplicate()
    {
        var sample = Load("github-pull-request-synchronize.json");
        var log = new InMemoryDeliveryLog();
        var receiver = new WebhookReceiver(ConformanceCorpus.Options(sample), log);
        var headers = ConformanceCorpus.Headers(sample);

        Assert.Equal(WebhookOutcome.Accepted, (await receiver.ReceiveAsync(headers, ConformanceCorpus.Body(sample))).Outcome);
        var fresh = headers.Where(h => h.Key != "X-GitHub-Delivery").Append(new("X-GitHub-Delivery", Guid.NewGuid().ToString())).ToList();
        Assert.Equal(WebhookOutcome.Duplicate, (await receiver.ReceiveAsync(fresh, ConformanceCorpus.Body(sample))).Outcome);
    }

    [Fact]
    public void A_GitLab_Update_Without_New_Commits_Asks_For_No_Preview_And_One_With_Oldrev_Does()
    {
        var sample = Load("gitlab-merge-request.json");
        var body = JsonNode.Parse(sample["body"]!.GetValue<string>())!.AsObject();
        body["object_attributes"]!["action"] = "update";
        var options = new WebhookReceiverOptions();
        options.GitLabTokens.Add(sample["secret"]!.GetValue<string>());
        var headers = ConformanceCorpus.Headers(sample);

        var titleOnly = new WebhookInspector(options).Inspect(headers, Encoding.UTF8.GetBytes(body.ToJsonString()));
        body["object_attributes"]!["oldrev"] = "0123456789012345678901234567890123456789";
        var pushed = new WebhookInspector(options).Inspect(headers, Encoding.UTF8.GetBytes(body.ToJsonString()));

        Assert.Equal(WebhookOutcome.Ignored, titleOnly.Outcome);
        Assert.Equal(WebhookOutcome.Accepted, pushed.Outcome);
    }

    [Fact]
    public void A_Fork_Pull_Request_Is_Marked_And_Its_Repository_Is_The_Target()
    {
        var sample = Load("github-pull-request-opened.json");
        var body = JsonNode.Parse(sample["body"]!.GetValue<string>())!.AsObject();
        body["pull_request"]!["head"]!["repo"]!["full_name"] = "mallory/Hello-World";
        body["pull_request"]!["head"]!["repo"]!["clone_url"] = "https://evil.example/mallory/Hello-World.git";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var headers = ConformanceCorpus.Headers(sample).Where(h => h.Key != "X-Hub-Signature-256").ToList();
        headers.Add(new("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(sample["secret"]!.GetValue<string>()), bytes))));

        var pr = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(headers, bytes).Event!.PullRequest!;

        Assert.True(pr.FromFork);
        Assert.Equal("Codertocat/Hello-World", pr.RepoFullName);
        Assert.DoesNotContain(pr.CloneUrls!, u => u.Contains("evil", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Pull_Request_Without_A_Full_Head_Sha_Is_Malformed()
    {
        var sample = Load("github-pull-request-opened.json");
        var body = JsonNode.Parse(sample["body"]!.GetValue<string>())!.AsObject();
        body["pull_request"]!["head"]!["sha"] = "ec26c3e";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var headers = ConformanceCorpus.Headers(sample).Where(h => h.Key != "X-Hub-Signature-256").ToList();
        headers.Add(new("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(sample["secret"]!.GetValue<string>()), bytes))));

        Assert.Equal(WebhookOutcome.Malformed, new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(headers, bytes).Outcome);
    }
}
