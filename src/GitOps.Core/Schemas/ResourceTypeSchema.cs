namespace GitOps.Core.Schemas;

/// <summary>What the catalogue knows about one <c>type@api-version</c>: the body type and the scopes it may be deployed at.</summary>
/// <param name="Type">The resource type, as the catalogue spells it.</param>
/// <param name="ApiVersion">The api-version.</param>
/// <param name="Body">The type of the whole resource document (<c>name</c>, <c>location</c>, <c>properties</c>, …).</param>
/// <param name="WritableScopes">Where a PUT may create it; <see cref="ResourceScopes.None"/> when the catalogue does not say.</param>
public sealed record ResourceTypeSchema(string Type, string ApiVersion, SchemaRef Body, ResourceScopes WritableScopes)
{
    /// <summary><c>type@api-version</c>.</summary>
    public string Key => $"{Type}@{ApiVersion}";
}
