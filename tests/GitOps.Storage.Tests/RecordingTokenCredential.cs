using System.Text;
using System.Text.Json;
using Azure.Core;

namespace GitOps.Storage.Tests;

/// <summary>
/// Issues unsigned JWTs shaped like Entra ID storage tokens (audience https://storage.azure.com, an sts.windows.net
/// issuer, nbf/iat/exp), which Azurite's <c>--oauth basic</c> accepts, and records the scopes it was asked for.
/// </summary>
internal sealed class RecordingTokenCredential : TokenCredential
{
    private readonly List<string> _scopes = [];

    public IReadOnlyList<string> RequestedScopes
    {
        get
        {
            lock (_scopes)
            {
                return _scopes.ToList();
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_scopes)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        string header = Encode(new { alg = "RS256", typ = "JWT" });
        string payload = Encode(new
        {
            aud = "https://storage.azure.com",
            iss = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
            iat = now.AddMinutes(-1).ToUnixTimeSeconds(),
            nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
            exp = now.AddHours(1).ToUnixTimeSeconds(),
            oid = "11111111-1111-1111-1111-111111111111",
        });
        return new AccessToken($"{header}.{payload}.c2lnbmF0dXJl", now.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Encode(object value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
