namespace GitOps.Core.Manifests;

/// <summary>
/// How to build the one implicit environment of a folder that has no <c>gitops.yaml</c>
/// (the CLI's <c>--subscription</c> and <c>--var</c>).
/// </summary>
/// <param name="SubscriptionId">The default subscription.</param>
/// <param name="Variables">Variables for <c>${{ vars.NAME }}</c>.</param>
/// <param name="Name">The environment name.</param>
public sealed record ImplicitEnvironment(
    string? SubscriptionId,
    IReadOnlyDictionary<string, string> Variables,
    string Name = ImplicitEnvironment.DefaultName)
{
    /// <summary>The name of the implicit environment.</summary>
    public const string DefaultName = "default";
}

/// <summary>The result of reading <c>gitops.yaml</c>.</summary>
/// <param name="Environments">The environments, in file order.</param>
/// <param name="Diagnostics">Every problem found.</param>
/// <param name="IsImplicit">True when the tree had no <c>gitops.yaml</c>.</param>
public sealed record ConfigLoadResult(
    IReadOnlyList<EnvironmentDefinition> Environments,
    IReadOnlyList<Diagnostic> Diagnostics,
    bool IsImplicit)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Finds an environment by name (case-sensitive, as written in <c>gitops.yaml</c>).</summary>
    public EnvironmentDefinition? Find(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));
}

/// <summary>The result of loading one environment's resources.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Resources">Declared resources, expanded, in file order (only complete when there are no errors).</param>
/// <param name="Diagnostics">Every problem found.</param>
public sealed record EnvironmentLoadResult(
    EnvironmentDefinition Environment,
    IReadOnlyList<DeclaredResource> Resources,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
