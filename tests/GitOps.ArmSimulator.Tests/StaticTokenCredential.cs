using Azure.Core;

namespace GitOps.ArmSimulator.Tests;

/// <summary>A credential that hands out a fixed token: the simulator accepts any bearer token.</summary>
internal sealed class StaticTokenCredential : TokenCredential
{
    public int Requests { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests++;
        return new AccessToken("static-test-token", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
