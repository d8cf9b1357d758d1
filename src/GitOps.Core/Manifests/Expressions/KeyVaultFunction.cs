namespace GitOps.Core.Manifests.Expressions;

/// <summary>
/// <c>keyvault('https://VAULT.vault.azure.net/secrets/NAME[/VERSION]')</c>: a Key Vault secret, read at apply time with
/// the reconciler's identity. Loading only checks the URL and leaves a placeholder (<see cref="SecretReference"/>); the
/// value is never part of a declaration, so it cannot reach a plan, a record or a message.
/// </summary>
/// <remarks>
/// The URL decides where the reconciler's Key Vault token goes, so its host must be a vault of the configured cloud or
/// an operator-allowed suffix (<see cref="KeyVaultHostOptions"/>); anything else is refused here, before any request.
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
        if (context.KeyVaultHosts.Check(url) is { } problem)
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UntrustedSecretUrl, call.Location,
                $"'{url}' is not an allowed Key Vault secret URL: it {problem}.",
                $"Write https://VAULT.{context.KeyVaultHosts.Suffixes[0].Suffix}/secrets/NAME (optionally /VERSION to pin one) for a vault of the configured cloud; "
                + "an operator can allow other hosts with GitOps__KeyVault__AllowedHostSuffixes or gitops --keyvault-host-suffix."));
            return null;
        }

        context.SecretUrls.Add(url);
        return SecretReference.PlaceholderFor(url, version: null);
    }
}
