using System.Security.Cryptography;
using System.Text;
using GitOps.Git.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Git.Tests.Webhooks;

/// <summary>GitLab's Standard Webhooks signing token, signed here the way the standardwebhooks library does.</summary>
public sealed class GitLabSigningTokenTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly string SigningToken = "whsec_" + Convert.ToBase64String(Key);
    private static readonly DateTimeOffset SignedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Valid_Signature_Within_The_Window_Is_Authentic()
    {
        var (headers, body) = Delivery(SignedAt);

        var result = Inspect(headers, body, SignedAt.AddMinutes(2));

        Assert.Equal(WebhookOutcome.Accepted, result.Outcome);
        Assert.Equal("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", result.Event!.DeliveryId);
    }

    [Fact]
    public void Stale_Timestamp_Is_Rejected()
    {
        var (headers, body) = Delivery(SignedAt);

        var result = Inspect(headers, body, SignedAt.AddMinutes(6));

        Assert.Equal(WebhookAuthFailure.StaleTimestamp, result.AuthFailure);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void Tampered_Body_Or_Timestamp_Is_Rejected()
    {
        var (headers, body) = Delivery(SignedAt);
        var tamperedBody = (byte[])body.Clone();
        tamperedBody[^2] ^= 1;
        var movedTimestamp = headers.Select(h => h.Key == "webhook-timestamp" ? new KeyValuePair<string, string>(h.Key, (SignedAt.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) : h).ToList();

        Assert.Equal(WebhookAuthFailure.BadSignature, Inspect(headers, tamperedBody, SignedAt).AuthFailure);
        Assert.Equal(WebhookAuthFailure.BadSignature, Inspect(movedTimestamp, body, SignedAt).AuthFailure);
    }

    [Fact]
    public void Several_Signatures_In_The_Header_Are_Accepted_When_One_Matches()
    {
        var (headers, body) = Delivery(SignedAt);
        var multi = headers.Select(h => h.Key == "webhook-signature" ? new KeyValuePair<string, string>(h.Key, "v1,AAAA " + h.Value) : h).ToList();

        Assert.True(Inspect(multi, body, SignedAt).Authentic);
    }

    private static WebhookResult Inspect(List<KeyValuePair<string, string>> headers, byte[] body, DateTimeOffset now)
    {
        var options = new WebhookReceiverOptions { TimeProvider = new FakeTimeProvider(now) };
        options.GitLabSigningTokens.Add(SigningToken);
        return new WebhookInspector(options).Inspect(headers, body);
    }

    private static (List<KeyValuePair<string, string>> Headers, byte[] Body) Delivery(DateTimeOffset signedAt)
    {
        var body = Encoding.UTF8.GetBytes("""{"object_kind":"push","ref":"refs/heads/main","before":"a","after":"b","user_username":"u","project":{"path_with_namespace":"g/r"},"commits":[],"total_commits_count":0}""");
        const string Id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Key, (byte[])[.. Encoding.UTF8.GetBytes($"{Id}.{timestamp}."), .. body]));
        return (
            [
                new("X-Gitlab-Event", "Push Hook"),
                new("webhook-id", Id),
                new("webhook-timestamp", timestamp),
                new("webhook-signature", "v1," + signature),
            ],
            body);
    }
}
