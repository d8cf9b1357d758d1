using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GitOps.Git.Webhooks;

/// <summary>Constant-time verification of webhook signatures and tokens over the raw body bytes.</summary>
internal static class WebhookSignatures
{
    /// <summary>True when <paramref name="hex"/> is the HMAC-SHA256 of <paramref name="body"/> under one of the secrets.</summary>
    public static bool HmacSha256HexMatches(string hex, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        if (!TryFromHex(hex, out var provided) || provided.Length != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);

            // Every secret is checked, so timing does not reveal which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, provided);
        }

        return matched;
    }

    /// <summary>Compares two strings in constant time (hashing first so their lengths do not leak either).</summary>
    public static bool TokenEquals(string provided, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(provided)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>
    /// Verifies a Standard Webhooks signature header (<c>v1,&lt;base64&gt;</c>, several separated by spaces) over
    /// <c>{id}.{timestamp}.{body}</c> with keys given as <c>whsec_&lt;base64&gt;</c>.
    /// </summary>
    public static bool StandardWebhookMatches(string signatureHeader, string id, string timestamp, ReadOnlySpan<byte> body, IEnumerable<string> signingTokens)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));

        var provided = new List<byte[]>();
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && part[..comma] == "v1" && TryFromBase64(part[(comma + 1)..], out var bytes))
            {
                provided.Add(bytes);
            }
        }

        var matched = false;
        foreach (var token in signingTokens)
        {
            var keyText = token.StartsWith("whsec_", StringComparison.Ordinal) ? token["whsec_".Length..] : token;
            if (!TryFromBase64(keyText, out var key))
            {
                continue;
            }

            var expected = HMACSHA256.HashData(key, message);
            foreach (var signature in provided)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return matched;
    }

    /// <summary>Parses <c>Basic base64(user:password)</c>; false when the header is not of that form.</summary>
    public static bool TryParseBasic(string? authorization, out string user, out string password)
    {
        user = password = string.Empty;
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
            || !TryFromBase64(authorization[6..].Trim(), out var bytes))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    /// <summary>Parses Unix seconds.</summary>
    public static bool TryParseUnixSeconds(string? value, out DateTimeOffset time)
    {
        time = default;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
