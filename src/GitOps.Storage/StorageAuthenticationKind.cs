namespace GitOps.Storage;

/// <summary>How requests to the storage account are authorized.</summary>
public enum StorageAuthenticationKind
{
    /// <summary>Shared Key: an account name and key (connection strings, Azurite).</summary>
    SharedKey,
    /// <summary>Bearer tokens for <c>https://storage.azure.com/.default</c> from a <see cref="Azure.Core.TokenCredential"/> (managed identity).</summary>
    TokenCredential,
}
