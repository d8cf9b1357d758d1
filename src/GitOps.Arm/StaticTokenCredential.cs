using Azure.Core;

namespace GitOps.Arm;

/// <summary>
/// A bearer token given up front (<c>--arm-token</c>, <c>GITOPS_ARM_TOKEN</c>): for local simulators, CI jobs that
/// already hold a token (<c>az account get-access-token</c>) and break-glass use. It is never refreshed; when it expires
/// ARM answers 401 <c>ExpiredAuthenticationToken</c>, a fatal error.
/// </summary>
public sealed class StaticTokenCredential : TokenCredential
{
    private readonly string _token;
    private readonly DateTimeOffset? _expiresOn;
    private readonly TimeProvider _time;

    /// <summary>Creates the credential.</summary>
    /// <param name="token">The raw access token (without <c>Bearer </c>).</param>
    /// <param name="expiresOn">When the token expires, if known; otherwise it is reported as valid for the next hour on every request.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <exception cref="ArgumentException">The token is empty or contains whitespace or control characters.</exception>
    public StaticTokenCredential(string token, DateTimeOffset? expiresOn = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        token = token.Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = token["Bearer ".Length..].Trim();
        }

        // The token ends up in an HTTP header: reject anything that could split it. The message never echoes the token.
        if (token.Length == 0 || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("The ARM access token is empty or contains whitespace or control characters.", nameof(token));
        }

        _token = token;
        _expiresOn = expiresOn;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(_token, _expiresOn ?? _time.GetUtcNow().AddHours(1));

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));

    /// <inheritdoc />
    public override string ToString() => "StaticTokenCredential(***)";
}
