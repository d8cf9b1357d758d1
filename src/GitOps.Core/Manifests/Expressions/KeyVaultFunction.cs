namespace GitOps.Core.Manifests.Expressions;

/// <summary>
/// <c>keyvault('https://VAULT.vault.azure.net/secrets/NAME[/VERSION]')</c>: a Key Vault secret, read at apply time with
/// the reconciler's identity. Loading only checks the URL and leaves a placeholder (<see cref="SecretReference"/>); the
/// value is never part of a declaration, so it cannot reach a plan, a record or a message.
/// </summary>
/// <remarks>
/// The vault host is not checked against a cloud's DNS suffix: sovereign clouds and the local simulator use others.
/// </remarks>
internal sealed class KeyVaultFunction : IExpressionFunction
{
    private const string Example = "${{ keyvault('https://kv-app.vault.azure.net/secrets/db-password') }}";

    /// <inheritdoc />
    public string Name => "keyvault";

    /// <inheritdoc />
    public string? Invoke(ExpressionCall call, ExpressionContext context)
    {
        if (call.Arguments.Count != 1 || call.Arguments[0].Length == 0)
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, call.Location,
                $"'{call.Text}' takes exactly one argument: the secret URL.",
                $"Write {Example}."));
            return null;
        }

        if (!context.SecretsAllowed)
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, call.Location,
                $"'{call.Text}' cannot be used here: secrets can only be values inside a resource body.",
                "Use keyvault() as the whole value of a body field, such as properties.administratorLoginPassword."));
            return null;
        }

        var url = call.Arguments[0];
        if (!IsSecretUrl(url))
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, call.Location,
                $"'{url}' is not a Key Vault secret URL.",
                $"Write https://VAULT.vault.azure.net/secrets/NAME (optionally /VERSION to pin one), e.g. {Example}."));
            return null;
        }

        context.SecretUrls.Add(url);
        return SecretReference.PlaceholderFor(url, version: null);
    }

    /// <summary>True for <c>https://host/secrets/name[/version]</c> without query or fragment.</summary>
    internal static bool IsSecretUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length is 2 or 3
            && segments[0] == "secrets"
            && segments.Skip(1).All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
