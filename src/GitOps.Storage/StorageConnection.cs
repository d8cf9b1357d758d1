using Azure.Core;
using Azure.Identity;
using Azure.Data.Tables;
using Azure.Storage;

namespace GitOps.Storage;

/// <summary>
/// Where a storage account's Blob, Queue and Table services are and how to authorize against them. Parsed from a
/// connection string (<c>UseDevelopmentStorage=true</c> or <c>AccountName=…;AccountKey=…</c>) or built from
/// identity-based settings (account name or service URIs plus a <see cref="Azure.Core.TokenCredential"/>).
/// Errors name the offending setting but never echo the key.
/// </summary>
public sealed class StorageConnection
{
    /// <summary>The OAuth scope for Azure Storage data-plane tokens.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    /// <summary>Azurite's well-known account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    // Published in the Azurite README and Microsoft docs; it only unlocks the local emulator.
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly HashSet<string> s_knownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "DefaultEndpointsProtocol", "AccountName", "AccountKey", "EndpointSuffix", "BlobEndpoint", "QueueEndpoint",
        "TableEndpoint", "FileEndpoint", "BlobSecondaryEndpoint", "QueueSecondaryEndpoint", "TableSecondaryEndpoint",
        "FileSecondaryEndpoint", "SharedAccessSignature", "UseDevelopmentStorage", "DevelopmentStorageProxyUri",
    };

    private StorageConnection(
        string accountName,
        Uri? blobEndpoint,
        Uri? queueEndpoint,
        Uri? tableEndpoint,
        (string Name, string Key)? sharedKey,
        TokenCredential? tokenCredential,
        bool isDevelopmentStorage)
    {
        AccountName = accountName;
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        TableEndpoint = tableEndpoint;
        if (sharedKey is { } key)
        {
            SharedKeyCredential = new StorageSharedKeyCredential(key.Name, key.Key);
            TableSharedKeyCredential = new TableSharedKeyCredential(key.Name, key.Key);
        }

        TokenCredential = tokenCredential;
        IsDevelopmentStorage = isDevelopmentStorage;
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <summary>The Blob service endpoint (no trailing '/'), or null if blobs are not configured.</summary>
    public Uri? BlobEndpoint { get; }

    /// <summary>The Queue service endpoint (no trailing '/'), or null if queues are not configured.</summary>
    public Uri? QueueEndpoint { get; }

    /// <summary>The Table service endpoint (no trailing '/'), or null if tables are not configured.</summary>
    public Uri? TableEndpoint { get; }

    /// <summary>The account key credential of the Blob and Queue clients, when the connection string carries a key.</summary>
    public StorageSharedKeyCredential? SharedKeyCredential { get; }

    /// <summary>The same key for the Table client (Azure.Data.Tables has its own credential type).</summary>
    internal TableSharedKeyCredential? TableSharedKeyCredential { get; }

    /// <summary>The token source of an identity-based connection; null with an account key.</summary>
    public TokenCredential? TokenCredential { get; }

    /// <summary>True for <c>UseDevelopmentStorage=true</c>.</summary>
    public bool IsDevelopmentStorage { get; }

    /// <summary>The connection Azurite serves on its default ports (what <c>UseDevelopmentStorage=true</c> means).</summary>
    public static StorageConnection DevelopmentStorage { get; } = new(
        DevelopmentAccountName,
        new Uri("http://127.0.0.1:10000/" + DevelopmentAccountName),
        new Uri("http://127.0.0.1:10001/" + DevelopmentAccountName),
        new Uri("http://127.0.0.1:10002/" + DevelopmentAccountName),
        (DevelopmentAccountName, DevelopmentAccountKey),
        tokenCredential: null,
        isDevelopmentStorage: true);

    /// <summary>Parses a storage connection string.</summary>
    /// <param name="connectionString">
    /// <c>UseDevelopmentStorage=true</c>, or <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…[;EndpointSuffix=…][;BlobEndpoint=…][;QueueEndpoint=…][;TableEndpoint=…]</c>.
    /// </param>
    /// <returns>The parsed connection.</returns>
    /// <exception cref="FormatException">The string is malformed or incomplete; the message names the setting and never echoes the key.</exception>
    public static StorageConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        Dictionary<string, string> settings = SplitConnectionString(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out string? useDev))
        {
            if (!string.Equals(useDev, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("Storage connection string: UseDevelopmentStorage must be 'true' when present.");
            }

            if (settings.Count > 1)
            {
                throw new FormatException(
                    "Storage connection string: UseDevelopmentStorage=true cannot be combined with other settings; " +
                    "for Azurite on other ports write AccountName, AccountKey, BlobEndpoint, QueueEndpoint and TableEndpoint explicitly.");
            }

            return DevelopmentStorage;
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException(
                "Storage connection string: SharedAccessSignature is not supported; use an account key or an identity-based connection.");
        }

        string accountName = settings.GetValueOrDefault("AccountName") ?? string.Empty;
        if (accountName.Length == 0)
        {
            throw new FormatException("Storage connection string: AccountName is missing.");
        }

        if (!settings.TryGetValue("AccountKey", out string? accountKey) || accountKey.Length == 0)
        {
            throw new FormatException(
                $"Storage connection string for account '{accountName}': AccountKey is missing. " +
                "Use an identity-based connection (<name>__accountName or service URIs) to authenticate without a key.");
        }

        if (!Convert.TryFromBase64String(accountKey, new byte[accountKey.Length], out _))
        {
            // Say what is wrong without a single character of the key.
            throw new FormatException($"Storage connection string for account '{accountName}': AccountKey is not valid Base64.");
        }

        string protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException("Storage connection string: DefaultEndpointsProtocol must be 'http' or 'https'.");
        }

        string suffix = settings.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";
        Uri blob = ParseEndpoint(settings, "BlobEndpoint") ?? new Uri($"{protocol}://{accountName}.blob.{suffix}");
        Uri queue = ParseEndpoint(settings, "QueueEndpoint") ?? new Uri($"{protocol}://{accountName}.queue.{suffix}");
        // With explicit blob or queue endpoints (an emulator, a private endpoint) the table's cannot be guessed: it must be
        // given too, or the ledger reports the missing TableEndpoint instead of calling a public host.
        Uri? table = ParseEndpoint(settings, "TableEndpoint")
            ?? (settings.ContainsKey("BlobEndpoint") || settings.ContainsKey("QueueEndpoint") ? null : new Uri($"{protocol}://{accountName}.table.{suffix}"));
        return new StorageConnection(accountName, blob, queue, table, (accountName, accountKey), tokenCredential: null, isDevelopmentStorage: false);
    }

    /// <summary>An identity-based connection to <c>https://{account}.blob|queue|table.{suffix}</c>.</summary>
    /// <param name="accountName">The storage account name.</param>
    /// <param name="credential">The token source (managed identity, workload identity, developer sign-in).</param>
    /// <param name="endpointSuffix">The cloud's storage suffix.</param>
    /// <returns>The connection.</returns>
    public static StorageConnection FromAccountName(string accountName, TokenCredential credential, string endpointSuffix = "core.windows.net")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointSuffix);
        if (!IsValidAccountName(accountName))
        {
            throw new ArgumentException(
                $"Storage account name '{accountName}' is invalid: use 3-24 lowercase letters and digits.", nameof(accountName));
        }

        return new StorageConnection(
            accountName,
            new Uri($"https://{accountName}.blob.{endpointSuffix}"),
            new Uri($"https://{accountName}.queue.{endpointSuffix}"),
            new Uri($"https://{accountName}.table.{endpointSuffix}"),
            sharedKey: null,
            credential,
            isDevelopmentStorage: false);
    }

    /// <summary>An identity-based connection to explicit service URIs (at least one). Bearer tokens require HTTPS.</summary>
    /// <param name="blobServiceUri">The Blob service URI, or null if blobs are not used.</param>
    /// <param name="queueServiceUri">The Queue service URI, or null if queues are not used.</param>
    /// <param name="credential">The token source.</param>
    /// <param name="tableServiceUri">The Table service URI, or null if tables are not used.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="ArgumentException">No URI is given, one is not https, or one carries a query (a SAS).</exception>
    public static StorageConnection FromServiceUris(Uri? blobServiceUri, Uri? queueServiceUri, TokenCredential credential, Uri? tableServiceUri = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (blobServiceUri is null && queueServiceUri is null && tableServiceUri is null)
        {
            throw new ArgumentException("An identity-based storage connection needs a blob, queue or table service URI.");
        }

        Uri? blob = blobServiceUri is null ? null : NormalizeEndpoint(blobServiceUri, nameof(blobServiceUri));
        Uri? queue = queueServiceUri is null ? null : NormalizeEndpoint(queueServiceUri, nameof(queueServiceUri));
        Uri? table = tableServiceUri is null ? null : NormalizeEndpoint(tableServiceUri, nameof(tableServiceUri));
        foreach ((Uri? uri, string name) in new[] { (blob, nameof(blobServiceUri)), (queue, nameof(queueServiceUri)), (table, nameof(tableServiceUri)) })
        {
            if (uri is not null && uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException(
                    $"{name} '{uri}' must use https: bearer tokens are never sent over plain HTTP.", name);
            }
        }

        return new StorageConnection(AccountNameOf(blob ?? queue ?? table!), blob, queue, table, sharedKey: null, credential, isDevelopmentStorage: false);
    }

    /// <summary>
    /// Resolves a named connection the way Azure Functions does: the setting <c>{name}</c> holds a connection string;
    /// otherwise <c>{name}__accountName</c>, or <c>{name}__blobServiceUri</c>/<c>{name}__queueServiceUri</c>/<c>{name}__tableServiceUri</c>, select an
    /// identity-based connection whose credential is <c>{name}__credential=managedidentity</c> (with optional
    /// <c>{name}__clientId</c>) or, by default, <see cref="DefaultAzureCredential"/>. <c>:</c> works in place of <c>__</c>.
    /// </summary>
    /// <param name="connectionName">The connection name, for example <c>AzureWebJobsStorage</c>.</param>
    /// <param name="getSetting">Reads a setting (environment variable or configuration key); null when unset.</param>
    /// <param name="credential">A credential to use instead of the one the settings describe (tests, custom identity).</param>
    /// <returns>The connection.</returns>
    /// <exception cref="FormatException">Neither form is configured, or a value is invalid; the message names the setting.</exception>
    public static StorageConnection FromSettings(string connectionName, Func<string, string?> getSetting, TokenCredential? credential = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        ArgumentNullException.ThrowIfNull(getSetting);

        string? Get(string suffix)
        {
            string? value = getSetting($"{connectionName}__{suffix}");
            if (string.IsNullOrWhiteSpace(value))
            {
                value = getSetting($"{connectionName}:{suffix}");
            }

            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        string? connectionString = getSetting(connectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                return Parse(connectionString);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"Setting '{connectionName}': {ex.Message}", ex);
            }
        }

        string? accountName = Get("accountName");
        string? blobUri = Get("blobServiceUri");
        string? queueUri = Get("queueServiceUri");
        string? tableUri = Get("tableServiceUri");
        if (accountName is null && blobUri is null && queueUri is null && tableUri is null)
        {
            throw new FormatException(
                $"Storage connection '{connectionName}' is not configured: set '{connectionName}' to a connection string, " +
                $"or '{connectionName}__accountName' (or '{connectionName}__blobServiceUri', '{connectionName}__queueServiceUri' and '{connectionName}__tableServiceUri') for a managed identity.");
        }

        TokenCredential tokenCredential = credential ?? CreateCredential(connectionName, Get("credential"), Get("clientId"));
        if (accountName is not null)
        {
            if (!IsValidAccountName(accountName))
            {
                throw new FormatException(
                    $"Setting '{connectionName}__accountName': '{accountName}' is not a storage account name (3-24 lowercase letters and digits).");
            }

            return FromAccountName(accountName, tokenCredential);
        }

        try
        {
            return FromServiceUris(
                ParseSettingUri(connectionName, "blobServiceUri", blobUri),
                ParseSettingUri(connectionName, "queueServiceUri", queueUri),
                tokenCredential,
                ParseSettingUri(connectionName, "tableServiceUri", tableUri));
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"Storage connection '{connectionName}': {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }
    }

    /// <summary>Describes the connection (account, endpoints, authentication kind) without secrets.</summary>
    /// <returns>A log-safe description.</returns>
    public override string ToString() =>
        $"account={AccountName} blob={BlobEndpoint?.ToString() ?? "-"} queue={QueueEndpoint?.ToString() ?? "-"} table={TableEndpoint?.ToString() ?? "-"} auth={(SharedKeyCredential is null ? "token" : "key")}";

    internal static bool IsValidAccountName(string name) =>
        name.Length is >= 3 and <= 24 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));

    private static TokenCredential CreateCredential(string connectionName, string? credentialKind, string? clientId)
    {
        if (credentialKind is null)
        {
            return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        }

        if (string.Equals(credentialKind, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return clientId is null
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        throw new FormatException(
            $"Setting '{connectionName}__credential': '{credentialKind}' is not supported; use 'managedidentity' or leave it unset for the default credential chain.");
    }

    private static Uri? ParseSettingUri(string connectionName, string suffix, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            ? uri
            : throw new FormatException($"Setting '{connectionName}__{suffix}': '{value}' is not an absolute URI.");
    }

    private static Dictionary<string, string> SplitConnectionString(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string[] segments = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (segments.Length == 0)
        {
            throw new FormatException("Storage connection string is empty.");
        }

        for (int i = 0; i < segments.Length; i++)
        {
            // Split on the first '=' only: Base64 keys end with '='. Report positions and names, never values.
            int equals = segments[i].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException(
                    $"Storage connection string: segment {i + 1} is not 'Name=value'. Segments are separated by ';'.");
            }

            string key = segments[i][..equals].Trim();
            string value = segments[i][(equals + 1)..].Trim();
            if (!s_knownKeys.Contains(key))
            {
                // A misplaced ';' can turn part of a key into a "name": echo only short, letter-only names.
                string shown = key.Length <= 32 && key.All(char.IsAsciiLetter) ? $"unknown setting '{key}'" : "unknown setting";
                throw new FormatException(
                    $"Storage connection string: segment {i + 1} has an {shown}. Expected DefaultEndpointsProtocol, AccountName, AccountKey, EndpointSuffix, BlobEndpoint, QueueEndpoint, TableEndpoint or UseDevelopmentStorage.");
            }

            if (!settings.TryAdd(key, value))
            {
                throw new FormatException($"Storage connection string: setting '{key}' appears more than once.");
            }
        }

        return settings;
    }

    private static Uri? ParseEndpoint(Dictionary<string, string> settings, string key)
    {
        if (!settings.TryGetValue(key, out string? value) || value.Length == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"Storage connection string: {key} is not an absolute http or https URI.");
        }

        try
        {
            return NormalizeEndpoint(uri, key);
        }
        catch (ArgumentException ex)
        {
            // A query on an endpoint is a SAS: refused as a malformed connection string, without the query.
            throw new FormatException($"Storage connection string: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }
    }

    private static Uri NormalizeEndpoint(Uri uri, string name)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{name} must be an absolute http or https URI.", name);
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            // A query here is most likely a SAS token; do not echo it.
            throw new ArgumentException($"{name} must not carry a query string (SAS tokens are not supported).", name);
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    private static string AccountNameOf(Uri serviceUri)
    {
        // https://<account>.blob.core.windows.net, or emulator style http://host:port/<account>.
        string path = serviceUri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            return path.Split('/')[0];
        }

        return serviceUri.Host.Split('.')[0];
    }
}
