using System.Security.Cryptography;
using System.Text;
using GitOps.Git.Webhooks;

namespace GitOps.Git.Tests.Webhooks;

public sealed class WebhookInspectorTests
{
    private const string GitHubSecret = "It's a Secret to Everybody";

    [Fact]
    public void GitHub_Docs_Test_Vector_Verifies()
    {
        var body = "Hello, World!"u8;

        Assert.True(WebhookSignatures.HmacSha256HexMatches("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", body, [GitHubSecret]));
        Assert.True(WebhookSignatures.HmacSha256HexMatches("757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17", body, ["other", GitHubSecret]));
        Assert.False(WebhookSignatures.HmacSha256HexMatches("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", body, [GitHubSecret]));
        Assert.False(WebhookSignatures.HmacSha256HexMatches("not-hex", body, [GitHubSecret]));
        Assert.False(WebhookSignatures.HmacSha256HexMatches("7571", body, [GitHubSecret]));
    }

    [Fact]
    public void Tampered_Body_Is_Not_Authentic()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var body = ConformanceCorpus.Body(sample);
        var index = Array.IndexOf(body, (byte)'m');
        body[index] = (byte)'M';

        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(ConformanceCorpus.Headers(sample), body);

        Assert.Equal(WebhookOutcome.Unauthorized, result.Outcome);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal(WebhookAuthFailure.BadSignature, result.AuthFailure);
        Assert.False(result.Event!.Authentic);
        Assert.DoesNotContain(GitHubSecret, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_Secret_Is_Not_Authentic()
    {
        var sample = ConformanceCorpus.Load("bitbucket-push.json");
        var options = new WebhookReceiverOptions();
        options.BitbucketSecrets.Add("not-the-secret");

        var result = new WebhookInspector(options).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookAuthFailure.BadSignature, result.AuthFailure);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void Rotated_Secrets_Are_All_Accepted()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var options = new WebhookReceiverOptions();
        options.GitHubSecrets.Add("the-new-secret");
        options.GitHubSecrets.Add(GitHubSecret);

        var result = new WebhookInspector(options).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public void No_Configured_Secret_Fails_Closed()
    {
        var sample = ConformanceCorpus.Load("github-push.json");

        var result = new WebhookInspector(new WebhookReceiverOptions()).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookAuthFailure.NoSecretConfigured, result.AuthFailure);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void Oversized_Body_Is_413_Before_Anything_Else()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var options = ConformanceCorpus.Options(sample);
        options.MaxBodyBytes = 1000;

        var result = new WebhookInspector(options).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookOutcome.TooLarge, result.Outcome);
        Assert.Equal(413, result.StatusCode);
        Assert.Equal(WebhookAuthFailure.NotChecked, result.AuthFailure);
        Assert.False(result.Authentic);
        Assert.Null(result.Event);
    }

    [Fact]
    public void Default_Body_Limit_Is_One_MiB()
    {
        var body = new byte[(1024 * 1024) + 1];

        var result = new WebhookInspector(new WebhookReceiverOptions()).Inspect([new("X-GitHub-Event", "push")], body);

        Assert.Equal(413, result.StatusCode);
    }

    [Theory]
    [InlineData("{\"ref\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"before\": \"abc\"}")]
    [InlineData("payload=%7Bnot-json")]
    public void Signed_But_Malformed_Body_Is_400(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-GitHub-Event", "push"),
            new("X-GitHub-Delivery", "d-1"),
            new("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(GitHubSecret), body))),
        };
        var options = new WebhookReceiverOptions();
        options.GitHubSecrets.Add(GitHubSecret);

        var result = new WebhookInspector(options).Inspect(headers, body);

        Assert.Equal(WebhookOutcome.Malformed, result.Outcome);
        Assert.Equal(400, result.StatusCode);
        Assert.True(result.Authentic);
        Assert.Contains("github", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_Malformed_Body_Is_401_Not_400()
    {
        var options = new WebhookReceiverOptions();
        options.GitHubSecrets.Add(GitHubSecret);

        var result = new WebhookInspector(options).Inspect([new("X-GitHub-Event", "push")], "{"u8);

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(WebhookAuthFailure.MissingSignature, result.AuthFailure);
    }

    [Fact]
    public void Unknown_Provider_Is_400()
    {
        var result = new WebhookInspector(new WebhookReceiverOptions()).Inspect([new("Content-Type", "application/json")], "{}"u8);

        Assert.Equal(WebhookOutcome.UnknownProvider, result.Outcome);
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public void Header_Names_Are_Case_Insensitive()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var headers = ConformanceCorpus.Headers(sample).Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value)).ToList();

        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(headers, ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookOutcome.Accepted, result.Outcome);
        Assert.Equal(WebhookProvider.GitHub, result.Provider);
    }

    [Fact]
    public void Forgejo_Is_Detected_Before_GitHub_Although_It_Sends_GitHub_Headers()
    {
        var sample = ConformanceCorpus.Load("forgejo-push.json");

        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookProvider.Forgejo, result.Provider);
        Assert.Equal("gordon", result.Event!.Pusher);
    }

    [Fact]
    public void Gitea_Empty_Signature_Headers_Are_Unsigned()
    {
        var sample = ConformanceCorpus.Load("gitea-push.json");
        var headers = ConformanceCorpus.Headers(sample).Select(h => h.Key switch
        {
            "X-Gitea-Signature" or "X-Gogs-Signature" => new KeyValuePair<string, string>(h.Key, ""),
            "X-Hub-Signature-256" => new(h.Key, "sha256="),
            "X-Hub-Signature" => new(h.Key, "sha1="),
            _ => h,
        }).ToList();

        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(headers, ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookAuthFailure.MissingSignature, result.AuthFailure);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void GitHub_Legacy_Sha1_Signature_Alone_Is_Not_Enough()
    {
        var sample = ConformanceCorpus.Load("github-push.json");
        var headers = ConformanceCorpus.Headers(sample).Where(h => h.Key != "X-Hub-Signature-256").ToList();

        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(headers, ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookAuthFailure.MissingSignature, result.AuthFailure);
    }

    [Fact]
    public void GitLab_Wrong_Token_Is_Rejected()
    {
        var sample = ConformanceCorpus.Load("gitlab-push-subgroup.json");
        var options = new WebhookReceiverOptions();
        options.GitLabTokens.Add("gitlab-hook-token-7f3b");

        var result = new WebhookInspector(options).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        Assert.Equal(WebhookAuthFailure.WrongToken, result.AuthFailure);
        Assert.DoesNotContain("gitlab-hook-token", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_DevOps_Needs_Every_Configured_Part()
    {
        var sample = ConformanceCorpus.Load("azure-devops-git-push-2.json");
        var options = ConformanceCorpus.Options(sample);
        var withoutHeader = ConformanceCorpus.Headers(sample).Where(h => h.Key != "X-Reconciler-Key").ToList();
        var wrongPassword = ConformanceCorpus.Headers(sample)
            .Select(h => h.Key == "Authorization" ? new KeyValuePair<string, string>(h.Key, "Basic " + Convert.ToBase64String("reconciler:wrong"u8)) : h)
            .ToList();
        var inspector = new WebhookInspector(options);

        Assert.Equal(WebhookOutcome.Accepted, inspector.Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample)).Outcome);
        Assert.Equal(WebhookAuthFailure.WrongToken, inspector.Inspect(withoutHeader, ConformanceCorpus.Body(sample)).AuthFailure);
        Assert.Equal(WebhookAuthFailure.WrongToken, inspector.Inspect(wrongPassword, ConformanceCorpus.Body(sample)).AuthFailure);
        Assert.Equal(WebhookAuthFailure.MissingSignature, inspector.Inspect([new("Content-Type", "application/json")], ConformanceCorpus.Body(sample)).AuthFailure);
    }

    [Fact]
    public void Provider_Hint_Overrides_Detection()
    {
        var sample = ConformanceCorpus.Load("gitea-push.json");
        var options = new WebhookReceiverOptions();
        options.GitHubSecrets.Add("gitea-hook-secret-42");

        // Gitea also sends X-Hub-Signature-256, so a route dedicated to GitHub-style hooks verifies it as GitHub.
        var result = new WebhookInspector(options).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample), WebhookProvider.GitHub);

        Assert.Equal(WebhookProvider.GitHub, result.Provider);
        Assert.True(result.Authentic);
    }

    [Fact]
    public void Serialized_Non_Push_Has_Nulls()
    {
        var sample = ConformanceCorpus.Load("gitlab-merge-request.json");
        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        var json = WebhookEventJson.Serialize(result.Event!, indented: false);

        // A merge request is accepted for a preview, and its push fields stay null.
        Assert.Equal(WebhookOutcome.Accepted, result.Outcome);
        Assert.Equal(1, result.Event!.PullRequest!.Number);
        Assert.StartsWith("{\"provider\":\"gitlab\",\"event\":\"Merge Request Hook\",\"deliveryId\":\"2be46c88-f9d9-522e-b042-26ec0cd16d98\",\"authentic\":true,\"isPush\":false,\"repoFullName\":null,\"cloneUrls\":null,", json, StringComparison.Ordinal);
        Assert.EndsWith("\"changedPaths\":null,\"changedPathsTruncated\":false}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void GitLab_Truncated_Commit_List_Is_Flagged()
    {
        const string Token = "t";
        var body = Encoding.UTF8.GetBytes("""
            {"object_kind":"push","ref":"refs/heads/main","before":"a","after":"b","user_username":"u",
             "project":{"path_with_namespace":"g/r","git_http_url":"https://gitlab.com/g/r.git"},
             "commits":[{"added":["envs/prod/a.yaml"],"modified":[],"removed":[]}],"total_commits_count":25}
            """);
        var options = new WebhookReceiverOptions();
        options.GitLabTokens.Add(Token);

        var result = new WebhookInspector(options).Inspect([new("X-Gitlab-Event", "Push Hook"), new("X-Gitlab-Token", Token)], body);

        Assert.True(result.Event!.ChangedPathsTruncated);
        Assert.Equal(["envs/prod/a.yaml"], result.Event.ChangedPaths);
    }
}
