namespace GitOps.Git.Webhooks;

/// <summary>Checks a delivery's signature, token or credentials for its provider.</summary>
internal static class WebhookAuthenticator
{
    public static (WebhookAuthFailure Failure, string Message) Authenticate(WebhookProvider provider, WebhookHeaders headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options) =>
        provider switch
        {
            WebhookProvider.GitHub => Hmac(headers.Get("X-Hub-Signature-256"), "sha256=", "X-Hub-Signature-256", body, options.GitHubSecrets, "GitHub"),
            WebhookProvider.Gitea => Hmac(headers.First("X-Gitea-Signature", "X-Gogs-Signature"), "", "X-Gitea-Signature", body, options.GiteaSecrets, "Gitea"),
            WebhookProvider.Forgejo => Hmac(headers.First("X-Forgejo-Signature", "X-Gitea-Signature"), "", "X-Forgejo-Signature", body, options.GiteaSecrets, "Forgejo"),
            WebhookProvider.Bitbucket => Hmac(headers.Get("X-Hub-Signature"), "sha256=", "X-Hub-Signature", body, options.BitbucketSecrets, "Bitbucket"),
            WebhookProvider.GitLab => GitLab(headers, body, options),
            _ => AzureDevOps(headers, options),
        };

    private static (WebhookAuthFailure, string) Hmac(string? header, string prefix, string headerName, ReadOnlySpan<byte> body, ICollection<string> secrets, string name)
    {
        if (secrets.Count == 0)
        {
            return (WebhookAuthFailure.NoSecretConfigured, $"No {name} webhook secret is configured, so the delivery cannot be verified.");
        }

        // An empty value (or a bare "sha256=") is what Gitea sends for a hook without a secret: unsigned.
        var value = header is not null && header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..] : null;
        if (string.IsNullOrEmpty(value))
        {
            return (WebhookAuthFailure.MissingSignature, $"The delivery has no {headerName} signature{(prefix.Length > 0 ? $" starting with '{prefix}'" : "")}; set the webhook secret on the {name} hook.");
        }

        return WebhookSignatures.HmacSha256HexMatches(value, body, secrets)
            ? (WebhookAuthFailure.None, "Signature verified.")
            : (WebhookAuthFailure.BadSignature, $"The {headerName} signature does not match the body; check that the {name} hook and the receiver use the same secret.");
    }

    private static (WebhookAuthFailure, string) GitLab(WebhookHeaders headers, ReadOnlySpan<byte> body, WebhookReceiverOptions options)
    {
        if (options.GitLabTokens.Count == 0 && options.GitLabSigningTokens.Count == 0)
        {
            return (WebhookAuthFailure.NoSecretConfigured, "No GitLab secret token or signing token is configured, so the delivery cannot be verified.");
        }

        var signature = headers.Get("webhook-signature");
        if (!string.IsNullOrEmpty(signature) && options.GitLabSigningTokens.Count > 0)
        {
            var id = headers.Get("webhook-id");
            var timestamp = headers.Get("webhook-timestamp");
            if (string.IsNullOrEmpty(id) || !WebhookSignatures.TryParseUnixSeconds(timestamp, out var signedAt))
            {
                return (WebhookAuthFailure.MissingSignature, "The signed GitLab delivery lacks a webhook-id or a numeric webhook-timestamp.");
            }

            if (!WebhookSignatures.StandardWebhookMatches(signature, id, timestamp!, body, options.GitLabSigningTokens))
            {
                return (WebhookAuthFailure.BadSignature, "The webhook-signature does not match; check the GitLab signing token.");
            }

            var skew = (options.TimeProvider.GetUtcNow() - signedAt).Duration();
            return skew > options.TimestampTolerance
                ? (WebhookAuthFailure.StaleTimestamp, $"The webhook-timestamp is {skew.TotalSeconds:0}s away from now, outside the {options.TimestampTolerance.TotalSeconds:0}s window; a replay or a wrong clock.")
                : (WebhookAuthFailure.None, "Signature verified.");
        }

        var token = headers.Get("X-Gitlab-Token");
        if (string.IsNullOrEmpty(token))
        {
            return (WebhookAuthFailure.MissingSignature, "The delivery has no X-Gitlab-Token (nor a webhook-signature); set the secret token on the GitLab hook.");
        }

        var matched = false;
        foreach (var expected in options.GitLabTokens)
        {
            matched |= WebhookSignatures.TokenEquals(token, expected);
        }

        return matched
            ? (WebhookAuthFailure.None, "Token verified.")
            : (WebhookAuthFailure.WrongToken, "The X-Gitlab-Token does not match the configured token.");
    }

    private static (WebhookAuthFailure, string) AzureDevOps(WebhookHeaders headers, WebhookReceiverOptions options)
    {
        var credentials = options.AzureDevOpsCredentials.Where(c => c.Password is not null || c.HeaderName is not null).ToList();
        if (credentials.Count == 0)
        {
            return (WebhookAuthFailure.NoSecretConfigured, "No Azure DevOps basic-auth password or custom header is configured, so the delivery cannot be verified.");
        }

        var hasBasic = WebhookSignatures.TryParseBasic(headers.Get("Authorization"), out var user, out var password);
        var anyPresented = hasBasic || credentials.Any(c => c.HeaderName is not null && headers.Has(c.HeaderName));
        if (!anyPresented)
        {
            return (WebhookAuthFailure.MissingSignature, "The delivery has no basic-auth credentials nor the configured header; set them on the Azure DevOps service hook.");
        }

        var matched = false;
        foreach (var credential in credentials)
        {
            var ok = true;
            if (credential.Password is not null)
            {
                ok &= hasBasic & WebhookSignatures.TokenEquals(password, credential.Password);
                if (credential.Username is not null)
                {
                    ok &= WebhookSignatures.TokenEquals(user, credential.Username);
                }
            }

            if (credential.HeaderName is not null)
            {
                var value = headers.Get(credential.HeaderName);
                ok &= value is not null & WebhookSignatures.TokenEquals(value ?? string.Empty, credential.HeaderValue ?? string.Empty);
            }

            matched |= ok;
        }

        return matched
            ? (WebhookAuthFailure.None, "Credentials verified.")
            : (WebhookAuthFailure.WrongToken, "The basic-auth credentials or the custom header do not match the configured Azure DevOps credentials.");
    }
}
