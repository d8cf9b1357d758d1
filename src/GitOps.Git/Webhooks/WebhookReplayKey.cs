using System.Security.Cryptography;
using System.Text;

namespace GitOps.Git.Webhooks;

/// <summary>
/// What identifies a push regardless of its delivery id (an unsigned header a replayer can change): the repository, the
/// ref, the before and after commits, and a hash of the exact body the signature covers. Two deliveries with the same
/// key are the same push, however they are labelled.
/// </summary>
public static class WebhookReplayKey
{
    /// <summary>The provider name the keys are recorded under in the delivery log: <c>&lt;provider&gt;-signed</c>.</summary>
    public static string LogName(WebhookProvider provider) => provider.ToWireName() + "-signed";

    /// <summary>The key of a delivery: 64 lower-case hex characters.</summary>
    /// <param name="webhookEvent">The parsed, authenticated event.</param>
    /// <param name="body">The exact body bytes.</param>
    public static string Compute(WebhookEvent webhookEvent, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        var pr = webhookEvent.PullRequest;
        var text = string.Join(
            '\n',
            webhookEvent.Provider.ToWireName(),
            webhookEvent.RepoFullName ?? pr?.RepoFullName ?? string.Empty,
            webhookEvent.Ref ?? (pr is null ? string.Empty : $"pull/{pr.Number}"),
            webhookEvent.Before ?? string.Empty,
            webhookEvent.After ?? pr?.HeadSha ?? string.Empty,
            Convert.ToHexStringLower(bodyHash));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
