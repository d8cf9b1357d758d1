using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Arm;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Cli.Commands;

/// <summary>
/// How the CLI reaches ARM: <c>DefaultAzureCredential</c> by default, or a static token (<c>--arm-token</c> /
/// <c>GITOPS_ARM_TOKEN</c>); the public cloud, a sovereign one (<c>--cloud</c>), or any endpoint with a CA to trust
/// (<c>--arm-endpoint</c> + <c>--arm-ca-cert</c>, e.g. the local ARM simulator). The cloud also decides which Key Vault
/// hosts <c>keyvault('…')</c> may name, widened only by <c>--keyvault-host-suffix</c>.
/// </summary>
internal sealed class ArmOptions
{
    private readonly Option<string?> _endpoint = new("--arm-endpoint")
    {
        Description = "ARM endpoint URL (default: the cloud's). Use with --arm-ca-cert for the local ARM simulator.",
        HelpName = "URL",
    };

    private readonly Option<string?> _caCertificate = new("--arm-ca-cert")
    {
        Description = "PEM file of a CA certificate to trust for the ARM endpoint (e.g. the one `gitops armsim --cert-out` writes).",
        HelpName = "PEM",
    };

    private readonly Option<string?> _token = new("--arm-token")
    {
        Description = $"A static bearer token for ARM (or set GITOPS_ARM_TOKEN). Default: DefaultAzureCredential (Azure CLI, managed identity, environment).",
        HelpName = "TOKEN",
    };

    private readonly Option<string> _cloud = new Option<string>("--cloud")
    {
        Description = "Azure cloud: public, china or usgovernment.",
        HelpName = "NAME",
        DefaultValueFactory = _ => "public",
    }.AcceptOnlyFromAmong("public", "china", "usgovernment");

    private readonly Option<string[]> _keyVaultHostSuffixes = new("--keyvault-host-suffix")
    {
        Description = "A host suffix keyvault('…') URLs may name besides the cloud's vaults (*.vault.azure.net for public): SUFFIX or SUFFIX:PORT, "
            + "e.g. localhost:8443 for a local test vault. Repeat it or separate entries with commas. Any other host is an error (GO1014).",
        HelpName = "SUFFIX",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_endpoint);
        command.Options.Add(_caCertificate);
        command.Options.Add(_token);
        command.Options.Add(_cloud);
        command.Options.Add(_keyVaultHostSuffixes);
    }

    /// <summary>Builds the ARM client, or prints why it cannot and returns null.</summary>
    public IArmResourceClient? CreateClient(ParseResult parse, CliConsole console) =>
        ArmClientFactory.Create(Settings(parse), console);

    /// <summary>Builds the Key Vault resolver from the same options, or prints why it cannot and returns null.</summary>
    public ISecretResolver? CreateSecretResolver(ParseResult parse, CliConsole console) =>
        ArmClientFactory.CreateSecretResolver(Settings(parse), console);

    /// <summary>
    /// The hosts <c>keyvault('…')</c> may name for the chosen cloud (<c>--cloud</c>; the public cloud's vaults for a
    /// custom <c>--arm-endpoint</c>) plus <c>--keyvault-host-suffix</c>, or prints why not and returns null.
    /// </summary>
    public KeyVaultHostOptions? CreateKeyVaultHosts(ParseResult parse, CliConsole console) =>
        ArmClientFactory.CreateKeyVaultHosts(Settings(parse), console);

    private ArmConnectionSettings Settings(ParseResult parse) => new()
    {
        Cloud = parse.GetRequiredValue(_cloud),
        Endpoint = parse.GetValue(_endpoint),
        CaCertificatePath = parse.GetValue(_caCertificate),
        Token = parse.GetValue(_token),
        KeyVaultHostSuffixes = (parse.GetValue(_keyVaultHostSuffixes) ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList(),
    };

    /// <summary>
    /// Observes live state, printing an error and returning null when ARM could not be read. Resources outside the
    /// state file's inventory are looked for with lists first (a first apply, an adoption).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, JsonObject>?> ObserveAsync(
        IArmResourceClient client,
        IReadOnlyList<DeclaredResource> resources,
        ResourceInventory inventory,
        CliConsole console,
        CancellationToken cancellationToken)
    {
        try
        {
            return await new LiveStateObserver(client).ObserveAsync(resources, inventory, cancellationToken);
        }
        catch (ObservationException error)
        {
            console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }
}
