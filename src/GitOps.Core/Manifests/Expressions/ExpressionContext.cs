namespace GitOps.Core.Manifests.Expressions;

/// <summary>What an expression can see while one field is expanded.</summary>
internal sealed class ExpressionContext
{
    /// <summary>The environment being loaded: <c>vars.*</c> and <c>env.*</c>.</summary>
    public required EnvironmentDefinition Environment { get; init; }

    /// <summary>Where problems go.</summary>
    public required List<Diagnostic> Diagnostics { get; init; }

    /// <summary>
    /// Resolves a reference (a provider path or a full id) to a declared resource's id, reporting when it cannot;
    /// null where references are not allowed (in the fields that make up a resource's own id).
    /// </summary>
    public Func<string, SourceLocation, string?>? ResolveReference { get; init; }

    /// <summary>Why references are not allowed here, for the message.</summary>
    public string ReferencesNotAllowedReason { get; init; } = "references are not allowed here";

    /// <summary>Ids the expanded text referred to: they become dependencies of the resource.</summary>
    public HashSet<string> References { get; } = new(ResourceIds.Comparer);
}
