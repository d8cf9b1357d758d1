namespace GitOps.Core.Ports;

/// <summary>Reads Key Vault secrets named by <c>keyvault('…')</c> in manifests, with the reconciler's identity.</summary>
public interface ISecretResolver
{
    /// <summary>Reads the secret (the latest version, or the one the URL pins).</summary>
    /// <param name="secretUrl">The URL as written in the manifest: <c>https://{vault}/secrets/{name}[/{version}]</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="SecretResolutionException">The secret could not be read; the message names the URL, never a value.</exception>
    Task<ResolvedSecret> ResolveAsync(string secretUrl, CancellationToken cancellationToken = default);
}
