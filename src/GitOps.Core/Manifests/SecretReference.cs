namespace GitOps.Core.Manifests;

/// <summary>
/// A <c>${{ keyvault('…') }}</c> in a resource body: the body holds <see cref="Placeholder"/> at <see cref="Pointer"/>,
/// never the value, which is fetched at apply time and written only into the request sent to ARM.
/// </summary>
/// <param name="Pointer">JSON pointer of the field in <see cref="DeclaredResource.Body"/>, e.g. <c>/properties/administratorLoginPassword</c>.</param>
/// <param name="Url">The secret URL as written: <c>https://{vault}/secrets/{name}[/{version}]</c>.</param>
public sealed record SecretReference(string Pointer, string Url)
{
    /// <summary>How every placeholder starts: a scheme no ARM value uses, so a plan shows plainly what stands there.</summary>
    public const string PlaceholderPrefix = "gitops-secret:";

    /// <summary>What the body holds in place of the value until the version is known.</summary>
    public string Placeholder => PlaceholderFor(Url, version: null);

    /// <summary>
    /// The placeholder for <paramref name="url"/>; with a <paramref name="version"/> it changes whenever the secret gets
    /// a new version, so the declaration digest (over the body) notices a rotation without ever seeing the value.
    /// </summary>
    public static string PlaceholderFor(string url, string? version) =>
        version is null ? PlaceholderPrefix + url : $"{PlaceholderPrefix}{url}#version={version}";
}
