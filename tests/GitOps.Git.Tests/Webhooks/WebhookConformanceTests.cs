using System.Text.Json.Nodes;
using GitOps.Git.Webhooks;

namespace GitOps.Git.Tests.Webhooks;

public sealed class WebhookConformanceTests
{
    private static readonly string[] FieldNames =
    [
        "provider", "event", "deliveryId", "authentic", "isPush", "repoFullName", "cloneUrls", "ref", "branch", "tag",
        "tagName", "before", "after", "deleted", "pusher", "changedPaths", "changedPathsTruncated",
    ];

    [Fact]
    public void Corpus_Is_Present_And_Has_Both_Kinds_Of_Case()
    {
        Assert.True(ConformanceCorpus.Required().Count >= 20);
        Assert.NotEmpty(ConformanceCorpus.Optional());
    }

    [Theory]
    [MemberData(nameof(ConformanceCorpus.Required), MemberType = typeof(ConformanceCorpus))]
    public void Required_Sample_Matches_Expected(string fileName) => AssertSample(fileName);

    [Theory]
    [MemberData(nameof(ConformanceCorpus.Optional), MemberType = typeof(ConformanceCorpus))]
    public void Optional_Sample_Matches_Expected(string fileName) => AssertSample(fileName);

    private static void AssertSample(string fileName)
    {
        var sample = ConformanceCorpus.Load(fileName);
        var expected = sample["expected"]!.AsObject();
        var inspector = new WebhookInspector(ConformanceCorpus.Options(sample));

        var result = inspector.Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));

        var authentic = expected["authentic"]!.GetValue<bool>();
        var isPush = expected["isPush"]!.GetValue<bool>();
        Assert.Equal(authentic, result.Authentic);
        var e = result.Event;
        Assert.NotNull(e);

        // The corpus was written for a push receiver; a pull request that asks for a preview is accepted as well.
        Assert.Equal(authentic ? (isPush || e.PullRequest?.Previewable == true ? 202 : 200) : 401, result.StatusCode);
        Assert.Equal(authentic, e.Authentic);
        Assert.Equal(sample["service"]!.GetValue<string>(), e.Provider.ToWireName());
        Assert.Equal(sample["event"]!.GetValue<string>(), e.Event);
        Assert.False(string.IsNullOrEmpty(e.DeliveryId));
        Assert.Equal(isPush, e.IsPush);
        Assert.Equal(Str(expected, "repoFullName"), e.RepoFullName);
        Assert.Equal(Str(expected, "ref"), e.Ref);
        Assert.Equal(Str(expected, "branch"), e.Branch);
        Assert.Equal(Bool(expected, "tag"), e.Tag);
        Assert.Equal(Str(expected, "tagName"), e.TagName);
        Assert.Equal(Str(expected, "before"), e.Before);
        Assert.Equal(Str(expected, "after"), e.After);
        Assert.Equal(Bool(expected, "deleted"), e.Deleted);
        AssertCloneUrls(expected["cloneUrls"] as JsonArray, e.CloneUrls);
        AssertPusher(expected, e.Pusher);
        AssertChangedPaths(expected["changedPaths"] as JsonArray, e.ChangedPaths);
        if (expected["changedPathsTruncated"] is { } truncated)
        {
            Assert.Equal(truncated.GetValue<bool>(), e.ChangedPathsTruncated);
        }

        var json = JsonNode.Parse(WebhookEventJson.Serialize(e))!.AsObject();
        Assert.Equal(FieldNames, json.Select(p => p.Key).ToArray());
        Assert.Equal(e.Ref, json["ref"]?.GetValue<string>());
        Assert.Equal(authentic, json["authentic"]!.GetValue<bool>());
    }

    private static void AssertCloneUrls(JsonArray? expected, IReadOnlyList<string>? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        var allowed = expected.Select(u => Normalize(u!.GetValue<string>())).ToList();
        Assert.Equal(allowed[0], Normalize(actual[0]));
        Assert.All(actual, url => Assert.Contains(Normalize(url), allowed));
    }

    private static void AssertPusher(JsonObject expected, string? actual)
    {
        var primary = Str(expected, "pusher");
        if (primary is null)
        {
            Assert.Null(actual);
            return;
        }

        var accepted = new List<string> { primary };
        accepted.AddRange((expected["pusherAlternatives"] as JsonArray ?? []).Select(a => a!.GetValue<string>()));
        Assert.Contains(actual, accepted);
    }

    private static void AssertChangedPaths(JsonArray? expected, IReadOnlyList<string>? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.Select(p => p!.GetValue<string>()).ToHashSet(StringComparer.Ordinal), actual.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(actual.Order(StringComparer.Ordinal), actual);
    }

    /// <summary>The README's comparison rule: lower-case scheme and host, strip a trailing '/' and '.git'.</summary>
    private static string Normalize(string url)
    {
        var text = url.TrimEnd('/');
        if (text.EndsWith(".git", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            var hostEnd = text.IndexOf('/', schemeEnd + 3);
            hostEnd = hostEnd < 0 ? text.Length : hostEnd;
            text = text[..hostEnd].ToLowerInvariant() + text[hostEnd..];
        }

        return text;
    }

    private static string? Str(JsonObject o, string name) => o[name]?.GetValue<string>();

    private static bool? Bool(JsonObject o, string name) => o[name]?.GetValue<bool>();
}
