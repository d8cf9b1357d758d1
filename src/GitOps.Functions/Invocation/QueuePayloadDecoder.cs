using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Functions.Invocation;

/// <summary>
/// Decodes queue-trigger values the way real hosts send them (functions-and-storage.md §1.3): the message may be a
/// JSON string whose text is itself a quoted JSON string (the host serializes strings a second time), a plain string,
/// Base64 text of JSON, or a JSON object; <c>DequeueCount</c> arrives as a number or a string, and <c>Id</c> and
/// <c>PopReceipt</c> with their quotes included.
/// </summary>
public static class QueuePayloadDecoder
{
    /// <summary>The message text: JSON of the job when it can be recovered, otherwise the text as received.</summary>
    /// <param name="value">The binding value.</param>
    /// <exception cref="FormatException">There is no message (null, a number, an array …).</exception>
    public static string DecodeMessage(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject json:
                return json.ToJsonString();
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                return DecodeText(text);
            case null:
                throw new FormatException("The invocation carries no queue message.");
            default:
                throw new FormatException($"The queue message is a JSON {value.GetValueKind().ToString().ToLowerInvariant()}, not a string or an object.");
        }
    }

    /// <summary>Peels the host's extra JSON string layer and a Base64 layer off a message text.</summary>
    public static string DecodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var current = text.Trim();

        // Bounded: at most one layer each of JSON-string quoting (sometimes twice) and Base64.
        for (var layer = 0; layer < 3; layer++)
        {
            if (Unquote(current) is { } inner)
            {
                current = inner.Trim();
                continue;
            }

            if (FromBase64Json(current) is { } decoded)
            {
                current = decoded.Trim();
                continue;
            }

            break;
        }

        return current;
    }

    /// <summary>The delivery count from <c>DequeueCount</c> (number, string, or quoted string); 1 when absent or unreadable.</summary>
    public static int DequeueCount(JsonNode? value)
    {
        if (value is JsonValue scalar)
        {
            if (scalar.TryGetValue<int>(out var number))
            {
                return Math.Max(1, number);
            }

            if (scalar.TryGetValue<long>(out var wide))
            {
                return (int)Math.Clamp(wide, 1, int.MaxValue);
            }

            if (scalar.TryGetValue<string>(out var text)
                && int.TryParse(Unquote(text.Trim()) ?? text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return Math.Max(1, parsed);
            }
        }

        return 1;
    }

    /// <summary>A metadata string without the quotes the host leaves on <c>Id</c> and <c>PopReceipt</c>; null when absent.</summary>
    public static string? Text(JsonNode? value) =>
        value is JsonValue scalar && scalar.TryGetValue<string>(out var text)
            ? Unquote(text.Trim()) ?? text
            : value?.ToJsonString();

    /// <summary>The content of a JSON string literal (<c>"\"x\""</c> → <c>x</c>), or null when the text is not one.</summary>
    private static string? Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<string>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The UTF-8 text behind Base64 when it is a JSON object or string; null otherwise (plain text stays as it is).</summary>
    private static string? FromBase64Json(string text)
    {
        if (text.Length < 4 || text.Length % 4 != 0 || text[0] is '{' or '"')
        {
            return null;
        }

        var buffer = new byte[text.Length * 3 / 4];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer, 0, written).Trim();
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return decoded.StartsWith('{') || decoded.StartsWith('"') ? decoded : null;
    }
}
