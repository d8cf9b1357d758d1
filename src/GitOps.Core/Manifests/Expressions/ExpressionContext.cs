namespace GitOps.Core.Manifests.Expressions;

/// <summary>What an expression can see while one field is expanded.</summary>
internal sealed class ExpressionContext
{
    /// <summary>The environment being loaded: <c>vars.*</c> and <c>env.*</c>.</summary>
    public required EnvironmentDefinition Environment { get; init; }

    /// <summary>Where problems go.</summary>
    public required List<Diagnostic> Diagnostics { get; init; }

    /// <summary>
    /// Resolves a reference (a provider path or a full id) to an id, and whether it names a declared resource
    /// (only those become dependencies); reports and returns null when it cannot. The delegate itself is null where
    /// references are not allowed (in the fields that make up a resource's own id).
    /// </summary>
    public Func<string, SourceLocation, (string Id, bool IsDeclared)?>? ResolveReference { get; init; }

    /// <summary>Why references are not allowed here, for the message.</summary>
    public string ReferencesNotAllowedReason { get; init; } = "references are not allowed here";

    /// <summary>True where <c>keyvault()</c> may stand: values of a resource body (not its identity, keys or dependsOn).</summary>
    public bool SecretsAllowed { get; init; }

    /// <summary>The hosts a <c>keyvault()</c> URL may name (<see cref="ManifestLimits.KeyVaultHosts"/>).</summary>
    public KeyVaultHostOptions KeyVaultHosts { get; init; } = KeyVaultHostOptions.PublicCloud;

    /// <summary>Secret URLs the expanded text referred to, in order; the body builder pins each to its field.</summary>
    public List<string> SecretUrls { get; } = [];

    /// <summary>Ids of declared resources the expanded text referred to: they become dependencies of the resource.</summary>
    public HashSet<string> References { get; } = new(ResourceIds.Comparer);
}
