using GitOps.Core.Reconcile;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>Numbers the docs state are the ones the code uses.</summary>
public sealed class DocumentedDefaultsTests
{
    private static readonly string s_root = RepositoryRoot.Find();

    [Fact]
    public void The_Lease_Busy_Delay_In_The_Docs_Is_The_Code_Default()
    {
        var seconds = (int)ReconcilerOptions.Default.LeaseBusyDelay.TotalSeconds;
        var spread = (int)(ReconcilerOptions.Default.LeaseBusyJitter * 100);
        var operations = File.ReadAllText(Path.Combine(s_root, "docs", "operations.md"));
        var settings = File.ReadAllText(Path.Combine(s_root, "docs", "settings.md"));

        Assert.Contains($"`GitOps__LeaseBusyDelay` ({seconds} s by default,\nspread ±{spread}%", operations, StringComparison.Ordinal);
        Assert.Contains($"| `GitOps__LeaseBusyDelay` | `{ReconcilerOptions.Default.LeaseBusyDelay:hh\\:mm\\:ss}` |", settings, StringComparison.Ordinal);
        Assert.Contains($"±{spread}%", settings, StringComparison.Ordinal);
    }
}
