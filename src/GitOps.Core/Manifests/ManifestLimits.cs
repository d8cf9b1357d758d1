namespace GitOps.Core.Manifests;

/// <summary>
/// Limits that make hostile or broken input fail fast and with little memory, and bound where it may point the
/// reconciler's credentials (<see cref="KeyVaultHosts"/>).
/// </summary>
public sealed record ManifestLimits
{
    /// <summary>Largest single YAML file, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 1 * 1024 * 1024;

    /// <summary>Largest sum of all manifest files of one environment, in bytes.</summary>
    public long MaxEnvironmentBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most YAML documents in one file.</summary>
    public int MaxDocumentsPerFile { get; init; } = 1_000;

    /// <summary>Most resources in one environment.</summary>
    public int MaxResourcesPerEnvironment { get; init; } = 50_000;

    /// <summary>Deepest nesting of maps and lists.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most nodes one file may expand to once aliases are resolved (the "billion laughs" guard).</summary>
    public int MaxNodesPerFile { get; init; } = 1_000_000;

    /// <summary>
    /// The hosts <c>keyvault('…')</c> may name (the configured cloud's vaults and the operator's suffixes); any other URL
    /// is a load error (GO1014). The public cloud's vaults by default.
    /// </summary>
    public KeyVaultHostOptions KeyVaultHosts { get; init; } = KeyVaultHostOptions.PublicCloud;

    /// <summary>The defaults.</summary>
    public static ManifestLimits Default { get; } = new();
}
