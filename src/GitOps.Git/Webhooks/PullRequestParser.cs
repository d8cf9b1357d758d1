using System.Text.Json;

namespace GitOps.Git.Webhooks;

/// <summary>Reads the pull-request events of GitHub, GitLab and Azure DevOps into a <see cref="WebhookPullRequest"/>.</summary>
internal static class PullRequestParser
{
    private const int MaxTitleLength = 200;

    /// <summary>The pull request an event describes, or null when it is not a pull-request event this reconciler previews.</summary>
    public static WebhookPullRequest? Parse(WebhookProvider provider, string? eventName, JsonElement root) => provider switch
    {
        WebhookProvider.GitHub when eventName == "pull_request" => GitHub(root),
        WebhookProvider.GitLab when eventName == "Merge Request Hook" => GitLab(root),
        WebhookProvider.AzureDevOps when eventName is "git.pullrequest.created" or "git.pullrequest.updated" => AzureDevOps(eventName, root),
        _ => null,
    };

    // https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request
    private static WebhookPullRequest? GitHub(JsonElement root)
    {
        var pr = root.Property("pull_request");
        var number = root.Number("number") ?? pr.Number("number");
        if (number is not { } n)
        {
            return null;
        }

        var action = root.String("action");
        var head = pr.Property("head");
        var baseSide = pr.Property("base");
        var repository = root.Property("repository") ?? baseSide.Property("repo");
        var headRepo = head.Property("repo").String("full_name");
        var baseRepo = baseSide.Property("repo").String("full_name") ?? repository.String("full_name");
        return new WebhookPullRequest
        {
            Action = action,
            Previewable = action is "opened" or "synchronize" or "reopened" && pr.String("state") is null or "open",
            Number = n,
            RepoFullName = repository.String("full_name") ?? baseRepo,
            CloneUrls = WebhookPayloadParser.NullIfEmpty(WebhookPayloadParser.Urls(repository.String("clone_url"), repository.String("ssh_url"), repository.String("git_url"))),
            HeadSha = head.String("sha"),
            SourceBranch = head.String("ref"),
            TargetBranch = baseSide.String("ref"),
            FromFork = headRepo is null || !string.Equals(headRepo, baseRepo, StringComparison.OrdinalIgnoreCase),
            Author = pr.Property("user").String("login") ?? root.Property("sender").String("login"),
            Title = Title(pr.String("title")),
        };
    }

    // https://docs.gitlab.com/user/project/integrations/webhook_events/#merge-request-events
    private static WebhookPullRequest? GitLab(JsonElement root)
    {
        var attributes = root.Property("object_attributes");
        if (attributes.Number("iid") is not { } iid)
        {
            return null;
        }

        var action = attributes.String("action");
        var project = root.Property("project");

        // "update" is sent for title, label and reviewer changes too; only one with oldrev brought new commits.
        var newCommits = action is "open" or "reopen" || (action == "update" && attributes.String("oldrev") is not null);
        var sourceProject = attributes.Number("source_project_id");
        var targetProject = attributes.Number("target_project_id");
        return new WebhookPullRequest
        {
            Action = action,
            Previewable = newCommits && attributes.String("state") is null or "opened",
            Number = iid,
            RepoFullName = project.String("path_with_namespace") ?? attributes.Property("target").String("path_with_namespace"),
            CloneUrls = WebhookPayloadParser.NullIfEmpty(WebhookPayloadParser.Urls(project.String("git_http_url"), project.String("git_ssh_url"))),
            HeadSha = attributes.Property("last_commit").String("id"),
            SourceBranch = attributes.String("source_branch"),
            TargetBranch = attributes.String("target_branch"),
            FromFork = sourceProject is not null && targetProject is not null && sourceProject != targetProject,
            Author = root.Property("user").String("username") ?? root.Property("user").String("name"),
            Title = Title(attributes.String("title")),
        };
    }

    // https://learn.microsoft.com/azure/devops/service-hooks/events#git.pullrequest.created
    private static WebhookPullRequest? AzureDevOps(string eventName, JsonElement root)
    {
        var resource = root.Property("resource");
        if (resource.Number("pullRequestId") is not { } id)
        {
            return null;
        }

        var repository = resource.Property("repository");
        var project = repository.Property("project").String("name");
        var name = repository.String("name");
        const string Heads = "refs/heads/";
        static string? Branch(string? reference) => reference is not null && reference.StartsWith(Heads, StringComparison.Ordinal) ? reference[Heads.Length..] : reference;
        return new WebhookPullRequest
        {
            Action = eventName,
            Previewable = resource.String("status") is null or "active",
            Number = id,
            RepoFullName = project is null || name is null ? name : $"{project}/{name}",
            CloneUrls = WebhookPayloadParser.NullIfEmpty(WebhookPayloadParser.Urls(repository.String("remoteUrl"))),
            HeadSha = resource.Property("lastMergeSourceCommit").String("commitId"),
            SourceBranch = Branch(resource.String("sourceRefName")),
            TargetBranch = Branch(resource.String("targetRefName")),
            FromFork = resource.Property("forkSource") is not null,
            Author = resource.Property("createdBy").String("displayName"),
            Title = Title(resource.String("title")),
        };
    }

    private static string? Title(string? title) => title is null || title.Length <= MaxTitleLength ? title : title[..MaxTitleLength];
}
