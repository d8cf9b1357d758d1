using System.Text.Json;

namespace GitOps.Git.Webhooks;

/// <summary>Turns a provider's payload into a <see cref="WebhookEvent"/>, following the per-provider rules of the vendored webhook corpus (<c>tests/GitOps.Testing/testdata/webhooks</c>).</summary>
internal static class WebhookPayloadParser
{
    // GitHub lists at most 2048 commits in a push payload (push event docs); at the cap the list may be incomplete.
    private const int GitHubMaxCommits = 2048;

    /// <summary>True when the provider's event name denotes a git push.</summary>
    public static bool IsPushEvent(WebhookProvider provider, string? eventName) => provider switch
    {
        WebhookProvider.GitHub or WebhookProvider.Gitea or WebhookProvider.Forgejo => eventName == "push",
        WebhookProvider.GitLab => eventName is "Push Hook" or "Tag Push Hook",
        WebhookProvider.AzureDevOps => eventName == "git.push",
        WebhookProvider.Bitbucket => eventName == "repo:push",
        _ => false,
    };

    /// <summary>Builds the normalised event.</summary>
    /// <exception cref="WebhookPayloadException">The body is not a JSON object, or a push lacks its ref.</exception>
    public static WebhookEvent Parse(WebhookProvider provider, string? eventName, string? deliveryId, bool authentic, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookPayloadException("The body is not a JSON object.");
        }

        if (provider == WebhookProvider.AzureDevOps)
        {
            // Azure DevOps has no event or delivery header: both are in the body.
            eventName = root.String("eventType");
            deliveryId = root.String("id");
        }

        var isPush = IsPushEvent(provider, eventName);
        var result = new WebhookEvent { Provider = provider, Event = eventName, DeliveryId = deliveryId, Authentic = authentic, IsPush = isPush };
        if (!isPush)
        {
            return result with { PullRequest = PullRequestParser.Parse(provider, eventName, root) };
        }

        var push = provider switch
        {
            WebhookProvider.GitHub => GitHub(root),
            WebhookProvider.GitLab => GitLab(root),
            WebhookProvider.Gitea or WebhookProvider.Forgejo => Gitea(root),
            WebhookProvider.AzureDevOps => AzureDevOps(root),
            _ => Bitbucket(root),
        };

        if (string.IsNullOrEmpty(push.Ref))
        {
            throw new WebhookPayloadException($"The {provider.ToWireName()} push payload has no ref.");
        }

        const string Heads = "refs/heads/";
        const string Tags = "refs/tags/";
        var isTag = push.Ref.StartsWith(Tags, StringComparison.Ordinal);
        return result with
        {
            RepoFullName = push.RepoFullName,
            CloneUrls = push.CloneUrls,
            Ref = push.Ref,
            Branch = push.Ref.StartsWith(Heads, StringComparison.Ordinal) ? push.Ref[Heads.Length..] : null,
            Tag = isTag,
            TagName = isTag ? push.Ref[Tags.Length..] : null,
            Before = push.Before,
            After = push.After,
            Deleted = push.Deleted ?? push.After == WebhookEvent.ZeroSha,
            Pusher = push.Pusher,
            ChangedPaths = push.ChangedPaths,
            ChangedPathsTruncated = push.Truncated,
        };
    }

    private static Push GitHub(JsonElement root)
    {
        var repository = root.Property("repository");
        var fullName = repository.String("full_name");
        var urls = Urls(repository.String("clone_url"), repository.String("ssh_url"), repository.String("git_url"));
        var legacyUrl = repository.String("url");
        if (fullName is null && Uri.TryCreate(legacyUrl, UriKind.Absolute, out var uri))
        {
            // 2012-era payloads have no full_name: the repository URL's path is owner/name.
            fullName = uri.AbsolutePath.Trim('/');
        }

        if (urls.Count == 0 && legacyUrl is not null)
        {
            urls = [legacyUrl];
        }

        var (paths, count) = ChangedPaths(root);
        return new Push(
            root.String("ref"),
            fullName,
            urls.Count == 0 ? null : urls,
            root.String("before"),
            root.String("after"),
            root.Bool("deleted"),
            root.Property("pusher").String("name"),
            paths,
            count >= GitHubMaxCommits);
    }

    private static Push GitLab(JsonElement root)
    {
        var project = root.Property("project");
        var (paths, count) = ChangedPaths(root);
        var total = root.Number("total_commits_count");
        return new Push(
            root.String("ref"),
            project.String("path_with_namespace"),
            NullIfEmpty(Urls(project.String("git_http_url"), project.String("git_ssh_url"))),
            root.String("before"),
            root.String("after"),
            null,
            root.String("user_username") ?? root.String("user_name"),
            paths,
            paths is not null && total > count);
    }

    private static Push Gitea(JsonElement root)
    {
        var repository = root.Property("repository");
        var pusher = root.Property("pusher");
        var (paths, count) = ChangedPaths(root);
        var total = root.Number("total_commits");
        return new Push(
            root.String("ref"),
            repository.String("full_name"),
            NullIfEmpty(Urls(repository.String("clone_url"), repository.String("ssh_url"))),
            root.String("before"),
            root.String("after"),
            null,
            pusher.String("login") ?? pusher.String("username"),
            paths,
            paths is not null && total > count);
    }

    private static Push AzureDevOps(JsonElement root)
    {
        var resource = root.Property("resource");
        var update = resource.Array("refUpdates") is { } updates && updates.GetArrayLength() > 0 ? updates[0] : (JsonElement?)null;
        var repository = resource.Property("repository");
        var project = repository.Property("project").String("name");
        var name = repository.String("name");
        return new Push(
            update.String("name"),
            project is null || name is null ? name : $"{project}/{name}",
            NullIfEmpty(Urls(repository.String("remoteUrl"))),
            update.String("oldObjectId"),
            update.String("newObjectId"),
            null,
            resource.Property("pushedBy").String("displayName"),
            null,
            false);
    }

    private static Push Bitbucket(JsonElement root)
    {
        var change = root.Property("push").Array("changes") is { } changes && changes.GetArrayLength() > 0 ? changes[0] : (JsonElement?)null;
        var newSide = change.Property("new");
        var oldSide = change.Property("old");
        var side = newSide ?? oldSide;
        var name = side.String("name");
        var reference = name is null ? null : (side.String("type") == "tag" ? "refs/tags/" : "refs/heads/") + name;
        var actor = root.Property("actor");
        var repository = root.Property("repository");
        return new Push(
            reference,
            repository.String("full_name"),
            NullIfEmpty(Urls(repository.Property("links").Property("html").String("href"))),
            oldSide.Property("target").String("hash") ?? WebhookEvent.ZeroSha,
            newSide.Property("target").String("hash") ?? WebhookEvent.ZeroSha,
            newSide is null,
            actor.String("nickname") ?? actor.String("username") ?? actor.String("display_name"),
            null,
            false);
    }

    /// <summary>
    /// The sorted union of added/modified/removed over <c>commits[]</c> (never <c>head_commit</c>), and the number of
    /// commits listed. Null paths when there is no commit list or no commit carries a file list.
    /// </summary>
    private static (IReadOnlyList<string>? Paths, int Count) ChangedPaths(JsonElement root)
    {
        if (root.Array("commits") is not { } commits)
        {
            return (null, 0);
        }

        var count = commits.GetArrayLength();
        if (count == 0)
        {
            return ([], 0);
        }

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var anyList = false;
        foreach (var commit in commits.EnumerateArray())
        {
            foreach (var key in (string[])["added", "modified", "removed"])
            {
                if (commit.Array(key) is not { } list)
                {
                    continue;
                }

                anyList = true;
                foreach (var path in list.EnumerateArray())
                {
                    if (path.ValueKind == JsonValueKind.String && path.GetString() is { Length: > 0 } text)
                    {
                        paths.Add(text);
                    }
                }
            }
        }

        return (anyList ? paths.ToList() : null, count);
    }

    internal static List<string> Urls(params string?[] urls) =>
        urls.Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).Distinct(StringComparer.Ordinal).ToList();

    internal static List<string>? NullIfEmpty(List<string> urls) => urls.Count == 0 ? null : urls;

    private sealed record Push(
        string? Ref,
        string? RepoFullName,
        IReadOnlyList<string>? CloneUrls,
        string? Before,
        string? After,
        bool? Deleted,
        string? Pusher,
        IReadOnlyList<string>? ChangedPaths,
        bool Truncated);
}
