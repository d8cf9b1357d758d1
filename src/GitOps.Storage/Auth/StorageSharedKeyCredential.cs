using System.Security.Cryptography;
using System.Text;

namespace GitOps.Storage.Auth;

/// <summary>
/// An account name and key for Shared Key authorization. The key is held only as bytes and is never
/// rendered by <see cref="ToString"/>, exceptions or logs.
/// </summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] _key;

    /// <summary>Creates a credential from an account name and its Base64 account key.</summary>
    /// <param name="accountName">The storage account name, for example <c>devstoreaccount1</c>.</param>
    /// <param name="accountKey">The account key exactly as the portal or connection string gives it (Base64).</param>
    /// <exception cref="ArgumentException">The name is empty or the key is not valid Base64 (the key is not echoed).</exception>
    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentNullException.ThrowIfNull(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            throw new ArgumentException(
                $"The account key for storage account '{accountName}' is not valid Base64. Copy it again from the account's access keys.",
                nameof(accountKey));
        }

        if (_key.Length == 0)
        {
            throw new ArgumentException($"The account key for storage account '{accountName}' is empty.", nameof(accountKey));
        }
    }

    /// <summary>The storage account name the key belongs to.</summary>
    public string AccountName { get; }

    /// <summary>Signs a Shared Key string-to-sign: Base64(HMAC-SHA256(key, UTF-8(stringToSign))).</summary>
    /// <param name="stringToSign">The canonical string built by <see cref="SharedKeyStringToSign"/>.</param>
    /// <returns>The Base64 signature that follows <c>SharedKey account:</c> in the Authorization header.</returns>
    public string ComputeSignature(string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(stringToSign);
        return Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>Describes the credential without its key.</summary>
    /// <returns>The account name and the kind of credential.</returns>
    public override string ToString() => $"SharedKey({AccountName})";
}
