using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Hosting.Http;

/// <summary>
/// The JSON object of an api POST, read field by field: a field of the wrong type or too long is the caller's mistake
/// and fails with an <see cref="ApiRequestException"/> naming the field, so the answer is a 400 that says what to fix.
/// </summary>
internal sealed class ApiRequestBody
{
    private readonly JsonObject _json;

    private ApiRequestBody(JsonObject json) => _json = json;

    /// <summary>Parses a body; an empty body is an empty object.</summary>
    /// <exception cref="ApiRequestException">Not JSON, or not an object.</exception>
    public static ApiRequestBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return new ApiRequestBody([]);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new ApiRequestException("The body is not JSON: send an object such as {\"reason\": \"…\"}.");
        }

        return root is JsonObject json
            ? new ApiRequestBody(json)
            : throw new ApiRequestException("The body must be a JSON object such as {\"reason\": \"…\"}.");
    }

    /// <summary>A string field, trimmed; null when absent, JSON null or blank.</summary>
    /// <param name="field">The field name.</param>
    /// <param name="maxLength">The most characters accepted.</param>
    /// <exception cref="ApiRequestException">Not a string, or longer than <paramref name="maxLength"/>.</exception>
    public string? Text(string field, int maxLength)
    {
        if (!_json.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw new ApiRequestException($"'{field}' must be a string, not a JSON {node.GetValueKind().ToString().ToLowerInvariant()}.");
        }

        var text = node.GetValue<string>();
        if (text.Length > maxLength)
        {
            throw new ApiRequestException($"'{field}' is {text.Length} characters; the limit is {maxLength}.");
        }

        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>A boolean field; false when absent or JSON null.</summary>
    /// <param name="field">The field name.</param>
    /// <exception cref="ApiRequestException">Not true or false.</exception>
    public bool Flag(string field) =>
        _json.TryGetPropertyValue(field, out var node) && node is not null
            && (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? node.GetValue<bool>()
                : throw new ApiRequestException($"'{field}' must be true or false, not a JSON {node.GetValueKind().ToString().ToLowerInvariant()}."));

    /// <summary>An ISO-8601 time field (UTC unless it says otherwise); null when absent.</summary>
    /// <param name="field">The field name.</param>
    /// <exception cref="ApiRequestException">Not a string holding an ISO-8601 time.</exception>
    public DateTimeOffset? Time(string field)
    {
        // 64 characters hold any ISO-8601 time with a fraction and an offset.
        var text = Text(field, 64);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ApiRequestException($"'{field}' must be an ISO-8601 time such as 2026-12-01T00:00:00Z.");
    }
}

/// <summary>A request the api refuses with 400; the message names the field and what is expected, never a secret.</summary>
/// <param name="message">What to fix.</param>
internal sealed class ApiRequestException(string message) : Exception(message);
