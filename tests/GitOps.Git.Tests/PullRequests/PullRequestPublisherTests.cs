using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Git.PullRequests;
using GitOps.Testing;

namespace GitOps.Git.Tests.PullRequests;

/// <summary>The three hosts' publishers against local fakes that enforce each API's documented paths, bodies and authentication.</summary>
[Trait("Category", "Integration")]
public sealed class PullRequestPublisherTests
{
    private static readonly PullRequestRef Pr = new()
    {
        Provider = "github",
        Number = 12,
        HeadSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        TargetBranch = "main",
    };

    private static IPullRequestPublisher Client(GitHostApi api, GitHostApiFake fake, string? token = null, string? identity = null)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var options = new PullRequestApiOptions
        {
            ApiUrl = fake.ApiUrl,
            Repository = api switch { GitHostApi.GitLab => "acme/platform/app-config", GitHostApi.AzureDevOps => "Fabrikam/app-config", _ => "acme/app-config" },
            Token = token ?? fake.Token,
            Identity = identity,
        };
        return api switch
        {
            GitHostApi.GitHub => new GitHubPullRequestClient(http, options),
            GitHostApi.GitLab => new GitLabMergeRequestClient(http, options),
            _ => new AzureDevOpsPullRequestClient(http, options),
        };
    }

    [Theory]
    [InlineData(GitHostApi.GitHub)]
    [InlineData(GitHostApi.GitLab)]
    [InlineData(GitHostApi.AzureDevOps)]
    public async Task One_Comment_Is_Created_Then_Updated_In_Place_Never_An_Authors_Comment_With_The_Marker(GitHostApi api)
    {
        await using var fake = await GitHostApiFake.StartAsync(api);
        var planted = fake.AddComment(Pr.Number, "mallory", "666", PreviewComment.Marker + "\nforged");
        var client = Client(api, fake);

        await client.UpsertCommentAsync(Pr, PreviewComment.Marker + "\nfirst");
        await client.UpsertCommentAsync(Pr, PreviewComment.Marker + "\nsecond");
        await client.UpsertCommentAsync(Pr, PreviewComment.Marker + "\nthird");

        var ours = Assert.Single(fake.OurComments(Pr.Number));
        Assert.Equal(PreviewComment.Marker + "\nthird", ours.Body);
        Assert.Equal(2, ours.Edits);
        Assert.Equal(planted, fake.Comments[Pr.Number].Single(c => c.Login == "mallory"));
        Assert.All(fake.Requests, r => Assert.True(r.Status is 200 or 201, $"{r.Method} {r.Target} answered {r.Status}"));
    }

    [Theory]
    [InlineData(GitHostApi.GitHub, "gitops/dev", "success", "failure", "pending")]
    [InlineData(GitHostApi.GitLab, "gitops/dev", "success", "failed", "pending")]
    [InlineData(GitHostApi.AzureDevOps, "gitops/dev", "succeeded", "failed", "pending")]
    public async Task Statuses_Are_Named_Per_Environment_With_The_Hosts_States(GitHostApi api, string context, string success, string failure, string pending)
    {
        await using var fake = await GitHostApiFake.StartAsync(api);
        var client = Client(api, fake);

        await client.SetStatusAsync(Pr, "dev", PreviewStatusState.Pending, "Previewing…");
        await client.SetStatusAsync(Pr, "dev", PreviewStatusState.Success, new string('x', 300));
        await client.SetStatusAsync(Pr, "dev", PreviewStatusState.Failure, "Denied by policy");

        Assert.Equal([pending, success, failure], fake.Statuses.Select(s => s.State).ToArray());
        Assert.All(fake.Statuses, s => Assert.Equal(context, s.Context));
        Assert.All(fake.Statuses, s => Assert.Equal(api == GitHostApi.AzureDevOps ? "12" : Pr.HeadSha, s.Target));
    }

    [Theory]
    [InlineData(GitHostApi.GitHub)]
    [InlineData(GitHostApi.GitLab)]
    [InlineData(GitHostApi.AzureDevOps)]
    public async Task A_Wrong_Token_Fails_With_The_Status_And_Never_The_Token_In_The_Message(GitHostApi api)
    {
        await using var fake = await GitHostApiFake.StartAsync(api);
        const string Wrong = "wrong-token-value-77e1";
        var client = Client(api, fake, token: Wrong, identity: "gitops-bot");

        var error = await Assert.ThrowsAsync<PullRequestPublishException>(() => client.SetStatusAsync(Pr, "dev", PreviewStatusState.Success, "ok"));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Token, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Empty(fake.Statuses);
    }

    [Fact]
    public async Task A_GitHub_App_Identity_From_Settings_Is_Used_Without_Asking_Who_The_Token_Is()
    {
        await using var fake = await GitHostApiFake.StartAsync(GitHostApi.GitHub);
        var client = Client(GitHostApi.GitHub, fake, identity: "gitops-bot");

        await client.UpsertCommentAsync(Pr, PreviewComment.Marker + "\nhello");

        Assert.DoesNotContain(fake.Requests, r => r.Target == "/user");
        Assert.Single(fake.OurComments(Pr.Number));
    }
}
