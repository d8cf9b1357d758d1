namespace GitOps.Hosting.Settings;

/// <summary>
/// Resolves a setting that may hold a secret by reference, so no secret has to sit in plain configuration:
/// <list type="bullet">
/// <item><c>file:/path</c> — the file's content, trimmed (Kubernetes/Docker secrets, mounted volumes);</item>
/// <item><c>env:NAME</c> — another environment variable;</item>
/// <item>anything else — the value itself. In Azure, App Service resolves <c>@Microsoft.KeyVault(SecretUri=…)</c>
/// references in app settings before the process starts, so they arrive here already resolved.</item>
/// </list>
/// </summary>
public static class SecretValue
{
    /// <summary>Resolves a value; null stays null.</summary>
    /// <param name="value">The setting.</param>
    /// <param name="settingName">The setting's name, for error messages (never the value).</param>
    /// <param name="getEnvironmentVariable">Reads environment variables (tests pass their own).</param>
    /// <exception cref="InvalidOperationException">The reference cannot be resolved; the message names the setting, not the secret.</exception>
    public static string? Resolve(string? value, string settingName, Func<string, string?>? getEnvironmentVariable = null)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = value["file:".Length..];
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Setting '{settingName}' refers to file '{path}', which does not exist.");
            }

            return File.ReadAllText(path).Trim();
        }

        if (value.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = value["env:".Length..];
            return (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(name)
                ?? throw new InvalidOperationException($"Setting '{settingName}' refers to environment variable '{name}', which is not set.");
        }

        if (value.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Setting '{settingName}' is an unresolved Key Vault reference. App Service resolves these when the app's identity may read the secret; check the identity's access and the reference's status in the portal.");
        }

        return value;
    }
}
