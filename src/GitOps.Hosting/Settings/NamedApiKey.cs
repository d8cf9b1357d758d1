namespace GitOps.Hosting.Settings;

/// <summary>
/// One API key and its name: <c>GitOps__ApiKey</c> is named <see cref="DefaultName"/>, <c>GitOps__ApiKeys__&lt;name&gt;</c>
/// is named by its setting. The name is what the api records as the caller (<c>api-key:&lt;name&gt;</c>); the value is
/// a credential and is never logged or recorded.
/// </summary>
/// <param name="Name">The key's name.</param>
/// <param name="Value">The key (resolved from its reference).</param>
public sealed record NamedApiKey(string Name, string Value)
{
    /// <summary>The name of the key in <c>GitOps__ApiKey</c>.</summary>
    public const string DefaultName = "default";

    /// <summary>Never the value: records and logs that print a setting must not print a credential.</summary>
    public override string ToString() => $"API key '{Name}'";
}
