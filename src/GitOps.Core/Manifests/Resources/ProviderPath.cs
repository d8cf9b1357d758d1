namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// A reference to a declared resource written as its "provider path": <c>Namespace/type/name[/childType/childName...]</c>,
/// e.g. <c>Microsoft.Network/virtualNetworks/vnet-app/subnets/default</c>. Used by <c>ref()</c>, <c>dependsOn</c> and <c>scope</c>.
/// </summary>
/// <param name="Type">The full type, e.g. <c>Microsoft.Network/virtualNetworks/subnets</c>.</param>
/// <param name="Name">The nested name, e.g. <c>vnet-app/default</c>.</param>
internal sealed record ProviderPath(string Type, string Name)
{
    /// <summary>How to write one, for hints.</summary>
    public const string Example = "Microsoft.Storage/storageAccounts/stapp01 (child: Microsoft.Network/virtualNetworks/vnet-app/subnets/default)";

    /// <summary>Parses a provider path; null when it does not have the shape.</summary>
    public static ProviderPath? Parse(string text)
    {
        var segments = text.Trim().Split('/');
        if (segments.Length < 3 || segments.Length % 2 == 0 || !segments[0].Contains('.')
            || segments.Any(s => s.Length == 0 || s.Any(char.IsWhiteSpace)))
        {
            return null;
        }

        var types = new List<string> { segments[0] };
        var names = new List<string>();
        for (var i = 1; i < segments.Length; i += 2)
        {
            types.Add(segments[i]);
            names.Add(segments[i + 1]);
        }

        return new ProviderPath(string.Join('/', types), string.Join('/', names));
    }

    /// <summary>Writes the provider path of a declared type and name.</summary>
    public static string Format(string type, string name)
    {
        var types = type.Split('/');
        var names = name.Split('/');
        var parts = new List<string> { types[0] };
        for (var i = 1; i < types.Length && i - 1 < names.Length; i++)
        {
            parts.Add(types[i]);
            parts.Add(names[i - 1]);
        }

        return string.Join('/', parts);
    }

    /// <inheritdoc />
    public override string ToString() => Format(Type, Name);
}
