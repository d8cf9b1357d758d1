using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using GitOps.Core.Previews;

namespace GitOps.Git.PullRequests;

/// <summary>
/// What the three hosts' clients share: JSON requests to the configured API only (relative paths under
/// <see cref="PullRequestApiOptions.ApiUrl"/>; redirects are not followed, so the token never reaches another host),
/// errors that name the call and the status but never the token or the response body, and finding our own comment.
/// </summary>
public abstract class PullRequestApiClient : IPullRequestPublisher
{
    private readonly HttpClient _http;
    private string? _identity;

    /// <summary>Creates a client.</summary>
    /// <param name="http">An HTTP client whose handler does not follow redirects.</param>
    /// <param name="options">The API, repository, token and identity.</param>
    protected PullRequestApiClient(HttpClient http, PullRequestApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        Options = options;
        _identity = options.Identity;
    }

    /// <summary>The options.</summary>
    protected PullRequestApiOptions Options { get; }

    /// <summary>The most comments read looking for ours (pages of 100).</summary>
    protected const int MaxPages = 20;

    /// <inheritdoc />
    public abstract Task UpsertCommentAsync(PullRequestRef pullRequest, string markdown, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task SetStatusAsync(PullRequestRef pullRequest, string environment, PreviewStatusState state, string description, CancellationToken cancellationToken = default);

    /// <summary>Adds the host's authentication to a request.</summary>
    protected abstract void Authenticate(HttpRequestHeaders headers);

    /// <summary>Asks the host who the token is.</summary>
    protected abstract Task<string> WhoAmIAsync(CancellationToken cancellationToken);

    /// <summary>Our identity: from the options, else asked once.</summary>
    protected async Task<string> IdentityAsync(CancellationToken cancellationToken) =>
        _identity ??= await WhoAmIAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a JSON request to <paramref name="path"/> (relative to the API URL) and returns the JSON answer (null when empty).</summary>
    /// <exception cref="PullRequestPublishException">Not a 2xx answer, or the host could not be reached.</exception>
    protected async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(Base(), path);
        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), Options.ApiUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new PullRequestPublishException($"Refused to send {method} {path}: it leaves the configured API host.", transient: false);
        }

        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("GitOpsFunctions", "1.0"));
        Authenticate(request.Headers);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            throw new PullRequestPublishException($"{method} {uri.AbsolutePath} failed: {error.Message}", transient: true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PullRequestPublishException($"{method} {uri.AbsolutePath} timed out.", transient: true);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is < 200 or > 299)
            {
                // The response body is not quoted: hosts echo request details, and the message goes to logs.
                throw new PullRequestPublishException(
                    $"{method} {uri.AbsolutePath} answered {status} {response.ReasonPhrase}{Advice(response.StatusCode)}",
                    transient: status is 408 or 429 or >= 500);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw new PullRequestPublishException($"{method} {uri.AbsolutePath} answered {status} with a body that is not JSON.", transient: true);
            }
        }
    }

    /// <summary>
    /// The id of our comment among a pull request's comments, read in pages of 100 (at most <see cref="MaxPages"/>):
    /// one that starts with the preview marker <b>and</b> whose author is our identity, since anyone can post the
    /// marker. Null when there is none.
    /// </summary>
    /// <param name="pagePath">The path of page N (1-based), relative to the API URL.</param>
    /// <param name="isAuthor">True when a comment's author is the identity given.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    protected async Task<string?> FindOwnCommentAsync(Func<int, string> pagePath, Func<JsonNode?, string, bool> isAuthor, CancellationToken cancellationToken)
    {
        var me = await IdentityAsync(cancellationToken).ConfigureAwait(false);
        for (var page = 1; page <= MaxPages; page++)
        {
            var comments = await SendAsync(HttpMethod.Get, pagePath(page), null, cancellationToken).ConfigureAwait(false) as JsonArray ?? [];
            if (comments.FirstOrDefault(c => PreviewComment.IsMarked(Text(c, "body")) && isAuthor(c, me)) is { } found)
            {
                return Id(found, "id");
            }

            if (comments.Count < 100)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>Escapes one path segment.</summary>
    protected static string Segment(string value) => Uri.EscapeDataString(value);

    /// <summary>A string property, or null.</summary>
    protected static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A number property as text, or null.</summary>
    protected static string? Id(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String ? value.ToJsonString().Trim('"') : null;

    /// <summary>A status description cut to <paramref name="max"/> characters (GitHub allows 140).</summary>
    protected static string Cut(string text, int max = 140) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private Uri Base()
    {
        var text = Options.ApiUrl.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    private static string Advice(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => ": check the repository's PullRequestToken.",
        HttpStatusCode.Forbidden => ": the token may not write comments or statuses on this repository.",
        HttpStatusCode.NotFound => ": check PullRequestApiUrl and the repository's FullName (or the token's access).",
        _ => ".",
    };
}
