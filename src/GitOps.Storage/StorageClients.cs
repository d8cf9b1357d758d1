using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GitOps.Storage.Queues;

namespace GitOps.Storage;

/// <summary>
/// Maps a <see cref="StorageConnection"/> (a connection string or an identity-based <c>AzureWebJobsStorage__*</c>
/// connection) to the Azure SDK clients, and holds the one decision about the storage REST version.
/// </summary>
/// <remarks>
/// <para>
/// Azure.Storage.Queues 12.28 and Azure.Storage.Blobs 12.30 send <c>x-ms-version: 2026-10-06</c> by default, which
/// Azurite 3.35 (the emulator pinned in <c>package.json</c>, API 2025-11-05) refuses on every call. Every blob and
/// queue client this project makes therefore pins <see cref="QueueServiceVersion"/> / <see cref="BlobServiceVersion"/>:
/// Azure serves older versions indefinitely, so the pin costs nothing in production and keeps the local emulator,
/// the tests and <c>gitops quickstart</c> on the same wire as Azure. Bump both together with Azurite.
/// </para>
/// <para>Azure.Data.Tables 12.13 always speaks 2019-02-02, which Azurite accepts; it needs no pin.</para>
/// </remarks>
public static class StorageClients
{
    /// <summary>The pinned Queue service version (the newest Azurite 3.35 accepts).</summary>
    public const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2025_11_05;

    /// <summary>The pinned Blob service version (the newest Azurite 3.35 accepts).</summary>
    public const BlobClientOptions.ServiceVersion BlobServiceVersion = BlobClientOptions.ServiceVersion.V2025_11_05;

    /// <summary>Blob client options with the pinned service version.</summary>
    /// <returns>New options; callers may add policies or a transport.</returns>
    public static BlobClientOptions NewBlobClientOptions() => new(BlobServiceVersion);

    /// <summary>A client for one container, with the connection's credential.</summary>
    /// <param name="connection">The account.</param>
    /// <param name="containerName">The container (3-63 lowercase letters, digits and single '-').</param>
    /// <param name="options">Options; <see cref="NewBlobClientOptions"/> when null.</param>
    /// <returns>The client (no call is made).</returns>
    /// <exception cref="ArgumentException">The connection has no blob endpoint, or the name is not a container name.</exception>
    public static BlobContainerClient CreateContainerClient(StorageConnection connection, string containerName, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ValidateName(containerName, "Container", nameof(containerName));
        var endpoint = connection.BlobEndpoint
            ?? throw new ArgumentException("The storage connection has no blob endpoint (set __blobServiceUri or __accountName).", nameof(connection));
        var uri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + containerName);
        options ??= NewBlobClientOptions();
        return connection.SharedKeyCredential is { } key
            ? new BlobContainerClient(uri, key, options)
            : new BlobContainerClient(uri, connection.TokenCredential!, options);
    }

    /// <summary>
    /// A client for one queue. <see cref="StorageQueueClientOptions"/> defaults to Base64 message text, the Azure
    /// Functions queue trigger's default <c>messageEncoding</c>.
    /// </summary>
    /// <param name="connection">The account.</param>
    /// <param name="queueName">The queue (3-63 lowercase letters, digits and single '-').</param>
    /// <param name="options">Options; new <see cref="StorageQueueClientOptions"/> when null.</param>
    /// <returns>The client (no call is made).</returns>
    /// <exception cref="ArgumentException">The connection has no queue endpoint, or the name is not a queue name.</exception>
    public static QueueClient CreateQueueClient(StorageConnection connection, string queueName, QueueClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ValidateName(queueName, "Queue", nameof(queueName));
        var endpoint = connection.QueueEndpoint
            ?? throw new ArgumentException("The storage connection has no queue endpoint (set __queueServiceUri or __accountName).", nameof(connection));
        var uri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + queueName);
        options ??= new StorageQueueClientOptions();
        return connection.SharedKeyCredential is { } key
            ? new QueueClient(uri, key, options)
            : new QueueClient(uri, connection.TokenCredential!, options);
    }

    /// <summary>A client for one table, with the connection's credential.</summary>
    /// <param name="connection">The account.</param>
    /// <param name="tableName">The table (3-63 letters and digits, starting with a letter).</param>
    /// <param name="options">Options; the defaults when null.</param>
    /// <returns>The client (no call is made).</returns>
    /// <exception cref="ArgumentException">The connection has no table endpoint, or the name is not a table name.</exception>
    public static TableClient CreateTableClient(StorageConnection connection, string tableName, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(tableName);
        if (tableName.Length is < 3 or > 63 || !char.IsAsciiLetter(tableName[0]) || !tableName.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"Table name '{Shorten(tableName)}' is invalid: use 3-63 letters and digits, starting with a letter.", nameof(tableName));
        }

        var endpoint = connection.TableEndpoint
            ?? throw new ArgumentException("The storage connection has no table endpoint (set TableEndpoint, __tableServiceUri or __accountName).", nameof(connection));
        options ??= new TableClientOptions();
        return connection.TableSharedKeyCredential is { } key
            ? new TableClient(endpoint, tableName, key, options)
            : new TableClient(endpoint, tableName, connection.TokenCredential!, options);
    }

    /// <summary>Container and queue name rules: 3-63 characters, lowercase letters, digits and '-', no leading, trailing or double '-'.</summary>
    internal static void ValidateName(string name, string kind, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        var valid = name.Length is >= 3 and <= 63
            && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && name[0] != '-' && name[^1] != '-' && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"{kind} name '{Shorten(name)}' is invalid: use 3-63 lowercase letters, digits and single '-', starting and ending with a letter or digit.",
                parameterName);
        }
    }

    private static string Shorten(string value) => value.Length <= 70 ? value : value[..70] + "…";
}
