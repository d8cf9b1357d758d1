namespace GitOps.Hosting.Settings;

/// <summary>Which Key Vault hosts <c>keyvault('…')</c> references may name (<c>GitOps__KeyVault__*</c>).</summary>
public sealed record KeyVaultSettings
{
    /// <summary>
    /// Host suffixes allowed besides the configured cloud's vaults, each <c>SUFFIX</c> or <c>SUFFIX:PORT</c>
    /// (<c>GitOps__KeyVault__AllowedHostSuffixes</c>, comma-separated): the ARM simulator's vault on localhost, a private
    /// cloud. Empty: only the cloud's own vaults (<c>*.vault.azure.net</c> for the public cloud).
    /// </summary>
    public IReadOnlyList<string> AllowedHostSuffixes { get; init; } = [];
}
