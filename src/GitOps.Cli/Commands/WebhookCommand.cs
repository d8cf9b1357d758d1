using System.CommandLine;
using System.Text.Json;
using GitOps.Git.Webhooks;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops webhook inspect --headers FILE --body FILE [--secret S]</c>: what the receiver makes of a delivery — the
/// tool to reach for when a webhook "did nothing". Exit 0 authentic (push or not), 3 authentication failed, 1 unreadable input.
/// </summary>
internal static class WebhookCommand
{
    public static Command Create(CliConsole console)
    {
        var headers = new Option<string>("--headers") { Description = "JSON file: an object of header name → value, as the git host sent them.", HelpName = "FILE", Required = true };
        var body = new Option<string>("--body") { Description = "The raw request body, byte for byte (signatures cover these exact bytes).", HelpName = "FILE", Required = true };
        var secret = new Option<string?>("--secret")
        {
            Description = "The HMAC key (GitHub, Gitea, Forgejo, Bitbucket), the token or signing token (GitLab), or the basic-auth password (Azure DevOps).",
            HelpName = "S",
        };
        var inspect = new Command("inspect", "Verify and normalize a recorded webhook delivery; print the event as JSON and say why it would or would not start a reconcile.")
        {
            headers, body, secret,
        };
        inspect.SetAction(parse => Inspect(console, parse.GetRequiredValue(headers), parse.GetRequiredValue(body), parse.GetValue(secret)));
        return new Command("webhook", "Webhook tools: check what the receiver makes of a delivery a git host sent.") { inspect };
    }

    private static int Inspect(CliConsole console, string headersFile, string bodyFile, string? secret)
    {
        Dictionary<string, string> headers;
        byte[] body;
        try
        {
            headers = ReadHeaders(headersFile);
            body = File.ReadAllBytes(bodyFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Error;
        }

        var options = new WebhookReceiverOptions();
        if (secret is not null)
        {
            // The provider is not known yet: offer the secret to every scheme; only the detected provider's is used.
            options.GitHubSecrets.Add(secret);
            options.GiteaSecrets.Add(secret);
            options.BitbucketSecrets.Add(secret);
            options.GitLabTokens.Add(secret);
            options.GitLabSigningTokens.Add(secret);
            options.AzureDevOpsCredentials.Add(new AzureDevOpsWebhookCredential { Password = secret });

            // A recorded delivery is old by the time it is inspected; freshness is a live-receiver concern.
            options.TimestampTolerance = TimeSpan.MaxValue;
        }

        var result = new WebhookInspector(options).Inspect(headers, body);
        if (result.Event is null)
        {
            console.Error.WriteLine($"error: {result.Message}");
            return ExitCodes.Error;
        }

        console.Out.WriteLine(WebhookEventJson.Serialize(result.Event, withPullRequest: true));
        console.Error.WriteLine(Explain(result, secret is not null));
        return result.Authentic ? ExitCodes.Success : ExitCodes.NotAuthentic;
    }

    private static string Explain(WebhookResult result, bool secretGiven)
    {
        var e = result.Event!;
        if (!result.Authentic)
        {
            return result.AuthFailure switch
            {
                WebhookAuthFailure.NoSecretConfigured or WebhookAuthFailure.NotChecked when !secretGiven =>
                    "not authentic: no secret given; pass --secret with the value configured on the hook to verify it.",
                WebhookAuthFailure.MissingSignature => $"not authentic: the delivery carries no signature or token; set a secret on the {e.Provider} hook.",
                WebhookAuthFailure.BadSignature => "not authentic: the signature does not match; the hook's secret differs from --secret, or the body was changed on the way (a proxy re-encoding JSON breaks signatures).",
                WebhookAuthFailure.WrongToken => "not authentic: the token or password does not match --secret.",
                WebhookAuthFailure.StaleTimestamp => "not authentic: the signed timestamp is too old.",
                _ => $"not authentic: {result.Message}",
            };
        }

        if (e.PullRequest is { } pr)
        {
            var head = pr.HeadSha is { Length: > 7 } sha ? sha[..7] : pr.HeadSha;
            var source = pr.FromFork ? $"'{pr.SourceBranch}' of a fork" : $"'{pr.SourceBranch}'";
            return pr.Previewable
                ? $"authentic pull request #{pr.Number} of {pr.RepoFullName} ({pr.Action}): {source} at {head} into '{pr.TargetBranch}'; the environments on '{pr.TargetBranch}' whose files it changes are previewed (the head is fetched through the pull request's own ref, never from the fork)."
                : $"authentic pull request #{pr.Number} of {pr.RepoFullName} ({pr.Action}): this action brings no new head, so nothing is previewed.";
        }

        if (!e.IsPush)
        {
            return $"authentic {e.Provider} '{e.Event}' event: not a push, so the receiver answers 200 and starts nothing.";
        }

        if (e.Deleted == true)
        {
            return $"authentic push deleting {e.Ref}: nothing to reconcile.";
        }

        if (e.Tag == true)
        {
            return $"authentic push of tag {e.TagName}: environments follow branches, so nothing is reconciled.";
        }

        var paths = e.ChangedPaths is null
            ? "the payload lists no changed files, so every environment on the branch is reconciled"
            : e.ChangedPathsTruncated
                ? "the changed-file list is truncated, so every environment on the branch is reconciled"
                : $"{e.ChangedPaths.Count} changed path(s) decide which environments on the branch are reconciled";
        return $"authentic push to branch '{e.Branch}' of {e.RepoFullName} ({e.Before?[..Math.Min(7, e.Before.Length)]} → {e.After?[..Math.Min(7, e.After.Length)]}); {paths}.";
    }

    private static Dictionary<string, string> ReadHeaders(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{file}: headers must be a JSON object of name → value.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            headers[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Array => string.Join(",", property.Value.EnumerateArray().Select(v => v.ToString())),
                _ => property.Value.ToString(),
            };
        }

        return headers;
    }
}
