using GitOps.Arm;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Storage;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Options;

/// <summary>
/// Everything read from the settings at start-up, parsed once and without I/O: the <see cref="GitOpsSettings"/>, the
/// storage connection and the ARM and Key Vault clients' configuration. Every problem found is kept in
/// <see cref="Problems"/> (each naming its setting, never its value), and <see cref="GitOpsOptionsValidator"/> fails
/// the host's start with all of them at once.
/// </summary>
public sealed class GitOpsOptions
{
    /// <summary>The settings (defaults where a value was refused; see <see cref="Problems"/>).</summary>
    public GitOpsSettings Settings { get; private set; } = new();

    /// <summary>The storage account (<c>AzureWebJobsStorage</c>), or null when it is unusable.</summary>
    public StorageConnection? Storage { get; private set; }

    /// <summary>The ARM client, or null when the ARM settings are unusable.</summary>
    public IArmResourceClient? Arm { get; private set; }

    /// <summary>Resolves <c>keyvault()</c> references with the reconciler's ARM identity, or null when unusable.</summary>
    public ISecretResolver? Secrets { get; private set; }

    /// <summary>The Key Vault hosts manifests may name.</summary>
    public KeyVaultHostOptions? KeyVaultHosts { get; private set; }

    /// <summary>Every problem with the settings; empty when the app can start.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>Reads the options from a configuration (app settings, environment variables, <c>local.settings.json</c>).</summary>
    /// <param name="configuration">The configuration.</param>
    public static GitOpsOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var settings = GitOpsSettings.Load(configuration, problems);
        return Read(settings, SettingsSources.Reader(configuration), problems);
    }

    /// <summary>Builds the options from settings already read (and their problems so far).</summary>
    internal static GitOpsOptions Read(GitOpsSettings settings, Func<string, string?> getSetting, List<string> problems)
    {
        var options = new GitOpsOptions { Settings = settings };
        try
        {
            options.Storage = StorageConnection.FromSettings(GitOpsSettings.StorageConnectionName, getSetting);
            if (options.Storage.TableEndpoint is null)
            {
                // Reported at start, with the others, instead of when the run ledger is first needed.
                problems.Add($"Storage settings are invalid: {GitOpsSettings.StorageConnectionName} names a blob or queue endpoint but no table endpoint; the run ledger needs one (TableEndpoint=… in the connection string, or {GitOpsSettings.StorageConnectionName}__tableServiceUri).");
                options.Storage = null;
            }
        }
        catch (FormatException error)
        {
            problems.Add($"Storage settings are invalid: {error.Message}");
        }

        var arm = settings.Arm with { KeyVaultHostSuffixes = settings.KeyVault.AllowedHostSuffixes };
        try
        {
            options.Arm = arm.CreateClient();

            // Key Vault references are read with the reconciler's ARM identity, so one setting covers both.
            options.Secrets = arm.CreateSecretResolver();
            options.KeyVaultHosts = arm.CreateKeyVaultHosts();
        }
        catch (ArgumentException error)
        {
            problems.Add($"ARM settings are invalid: {error.Message}");
        }

        options.Problems = problems;
        return options;
    }

    /// <summary>Takes every value of <paramref name="other"/> (the options system creates the instance it configures).</summary>
    internal void CopyFrom(GitOpsOptions other)
    {
        Settings = other.Settings;
        Storage = other.Storage;
        Arm = other.Arm;
        Secrets = other.Secrets;
        KeyVaultHosts = other.KeyVaultHosts;
        Problems = other.Problems;
    }
}
