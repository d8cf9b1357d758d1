namespace GitOps.Testing;

/// <summary>Azurite over HTTPS (self-signed certificate, see <see cref="AzuriteFixture.CreateTrustingHandler"/>) accepting bearer tokens (<c>--oauth basic</c>).</summary>
public sealed class AzuriteOAuthFixture : AzuriteFixture
{
    /// <inheritdoc />
    protected override bool UseHttps => true;

    /// <inheritdoc />
    protected override bool UseOAuth => true;
}
