using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Schemas;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>validate [--resources N] [--schema on|off] [--runs R]</c>: loads and validates an N-resource environment (ten
/// resource types of eight providers, 50 documents per file) with or without the resource type catalogue, and prints
/// the time of each run, the median, the catalogue's load count and the process's peak working set. Run each mode in
/// its own process so the peak belongs to it.
/// </summary>
internal static class ValidateScenario
{
    public static int Run(string[] args)
    {
        var resources = Option(args, "--resources", 10_000);
        var runs = Option(args, "--runs", 5);
        var schema = !args.SkipWhile(a => a != "--schema").Skip(1).Take(1).Contains("off");
        var tree = Repository(resources);
        var environment = new EnvironmentDefinition
        {
            Name = "bench",
            Path = string.Empty,
            SubscriptionId = "00000000-0000-0000-0000-000000000001",
        };
        var catalogue = schema ? new BicepTypeCatalog() : null;
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var result = new ManifestLoader(types: catalogue).LoadEnvironment(tree, environment);
            watch.Stop();
            if (result.HasErrors || result.Resources.Count != resources)
            {
                Console.Error.WriteLine($"unexpected result: {result.Resources.Count} resources, first problems:\n{string.Join("\n", result.Diagnostics.Take(5))}");
                return 1;
            }

            if (result.Diagnostics.Count > 0)
            {
                Console.Error.WriteLine($"{result.Diagnostics.Count} warning(s), first: {result.Diagnostics[0]}");
                return 1;
            }

            times.Add(watch.Elapsed.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: {watch.Elapsed.TotalMilliseconds:F0} ms"));
        }

        var median = times.Order().ElementAt(times.Count / 2);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"schema={(schema ? "on" : "off")} resources={resources} first={times[0]:F0} ms median={median:F0} ms " +
            $"types loaded={catalogue?.LoadCount ?? 0} peak working set={process.PeakWorkingSet64 / (1024 * 1024)} MB"));
        return 0;
    }

    /// <summary>Ten resource templates the catalogue accepts without a finding; {0} is the resource's number.</summary>
    private static readonly string[] Templates =
    [
        """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: st{0}
        resourceGroup: rg-bench
        location: westeurope
        sku: {{ name: Standard_ZRS }}
        kind: StorageV2
        tags: {{ owner: platform, costCenter: "4711" }}
        properties:
          minimumTlsVersion: TLS1_2
          allowBlobPublicAccess: false
          supportsHttpsTrafficOnly: true
          networkAcls: {{ defaultAction: Deny, bypass: AzureServices }}
        """,
        """
        type: Microsoft.Network/virtualNetworks@2024-05-01
        name: vnet-{0}
        resourceGroup: rg-bench
        location: westeurope
        properties:
          addressSpace: {{ addressPrefixes: [ 10.0.0.0/16 ] }}
          subnets:
            - name: app
              properties: {{ addressPrefix: 10.0.1.0/24, privateEndpointNetworkPolicies: Disabled }}
            - name: data
              properties: {{ addressPrefix: 10.0.2.0/24 }}
        """,
        """
        type: Microsoft.Network/networkSecurityGroups@2024-05-01
        name: nsg-{0}
        resourceGroup: rg-bench
        location: westeurope
        properties:
          securityRules:
            - name: allow-https
              properties: {{ priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "443" }}
        """,
        """
        type: Microsoft.KeyVault/vaults@2023-07-01
        name: kv-{0}
        resourceGroup: rg-bench
        location: westeurope
        properties:
          tenantId: 00000000-0000-0000-0000-000000000002
          sku: {{ family: A, name: standard }}
          enableRbacAuthorization: true
          enableSoftDelete: true
        """,
        """
        type: Microsoft.Web/serverfarms@2023-12-01
        name: plan-{0}
        resourceGroup: rg-bench
        location: westeurope
        kind: linux
        sku: {{ name: P1v3, tier: PremiumV3, capacity: 1 }}
        properties: {{ reserved: true }}
        """,
        """
        type: Microsoft.Web/sites@2023-12-01
        name: app-{0}
        resourceGroup: rg-bench
        location: westeurope
        kind: app,linux
        identity: {{ type: SystemAssigned }}
        properties:
          httpsOnly: true
          siteConfig: {{ linuxFxVersion: "DOTNETCORE|8.0", alwaysOn: true, minTlsVersion: "1.2", ftpsState: Disabled }}
        """,
        """
        type: Microsoft.OperationalInsights/workspaces@2023-09-01
        name: log-{0}
        resourceGroup: rg-bench
        location: westeurope
        properties: {{ retentionInDays: 30, sku: {{ name: PerGB2018 }} }}
        """,
        """
        type: Microsoft.Sql/servers@2023-08-01
        name: sql-{0}
        resourceGroup: rg-bench
        location: westeurope
        properties: {{ administratorLogin: sqladmin, minimalTlsVersion: "1.2", publicNetworkAccess: Disabled }}
        """,
        """
        type: Microsoft.ContainerRegistry/registries@2023-07-01
        name: acr{0}
        resourceGroup: rg-bench
        location: westeurope
        sku: {{ name: Premium }}
        properties: {{ adminUserEnabled: false, publicNetworkAccess: Disabled }}
        """,
        """
        type: Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31
        name: id-{0}
        resourceGroup: rg-bench
        location: westeurope
        tags: {{ owner: platform }}
        """,
    ];

    private static InMemoryFileTree Repository(int resources)
    {
        var tree = new InMemoryFileTree("bench");
        var file = new StringBuilder();
        for (var i = 0; i < resources; i++)
        {
            file.Append("---\n").Append(string.Format(CultureInfo.InvariantCulture, Templates[i % Templates.Length], i.ToString("D5", CultureInfo.InvariantCulture))).Append('\n');
            if ((i + 1) % 50 == 0 || i == resources - 1)
            {
                tree.Add($"envs/bench/file{i / 50:D4}.yaml", file.ToString());
                file.Clear();
            }
        }

        return tree;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
