using System.Globalization;
using System.Text;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>The manifests the serve scenarios declare: resource groups and storage accounts, 100 to a file.</summary>
internal static class BenchManifests
{
    /// <summary>How many storage accounts one file holds.</summary>
    public const int AccountsPerFile = 100;

    /// <summary>One resource group in West Europe.</summary>
    public static string ResourceGroup(string name) => $"type: Microsoft.Resources/resourceGroups@2024-03-01\nname: {name}\nlocation: westeurope\n";

    /// <summary>
    /// File <paramref name="file"/> of <paramref name="resources"/> storage accounts: account i is
    /// <paramref name="namePrefix"/> + i (6 digits) in group <paramref name="groupPrefix"/> + (i mod groups, 2 digits),
    /// owned by <c>platform</c>, except <paramref name="changed"/>, owned by <c>team-a</c> (a one-resource change).
    /// </summary>
    public static string StorageAccounts(string namePrefix, string groupPrefix, int groups, int file, int resources, int changed = -1)
    {
        var yaml = new StringBuilder();
        for (var i = file * AccountsPerFile; i < Math.Min(resources, (file + 1) * AccountsPerFile); i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                type: Microsoft.Storage/storageAccounts@2023-05-01
                name: {namePrefix}{i:D6}
                resourceGroup: {groupPrefix}{i % groups:D2}
                location: westeurope
                sku: {"{"} name: Standard_LRS {"}"}
                kind: StorageV2
                tags: {"{"} owner: {(i == changed ? "team-a" : "platform")}, index: "{i}" {"}"}
                properties:
                  minimumTlsVersion: TLS1_2

                """);
        }

        return yaml.ToString();
    }

    /// <summary>How many files <paramref name="resources"/> storage accounts take.</summary>
    public static int Files(int resources) => (resources + AccountsPerFile - 1) / AccountsPerFile;

    /// <summary>The file that holds account <paramref name="index"/>.</summary>
    public static string FileName(string folder, int index) => $"{folder}/accounts-{index / AccountsPerFile:D4}.yaml";
}
