namespace GitOps.Storage;

/// <summary>Checks queue, container and blob names before a request is made, so a typo gets a clear message instead of a 400.</summary>
internal static class StorageNames
{
    public const int MaxBlobNameLength = 1024;

    /// <summary>Queues and containers share the DNS-label rule: 3-63 of [a-z0-9-], starting and ending with a letter or digit, no "--".</summary>
    public static void ValidateQueueOrContainerName(string name, string kind, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        bool valid = name.Length is >= 3 and <= 63
            && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && name[0] != '-' && name[^1] != '-'
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"{kind} name '{name}' is invalid: use 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                parameterName);
        }
    }

    public static void ValidateBlobName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Length is 0 or > MaxBlobNameLength || name.EndsWith('/') || name.StartsWith('/'))
        {
            throw new ArgumentException(
                $"Blob name '{name}' is invalid: use 1-{MaxBlobNameLength} characters, not starting or ending with '/'.",
                parameterName);
        }
    }

    /// <summary>Escapes each path segment of a blob name, keeping '/' as the virtual-directory separator (as the Azure SDK does).</summary>
    public static string EscapeBlobPath(string blobName) =>
        string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
}
