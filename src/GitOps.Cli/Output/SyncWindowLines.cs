using GitOps.Core.Ports;
using GitOps.Core.Reconcile;

namespace GitOps.Cli.Output;

/// <summary>
/// Under <c>gitops runs list</c>: for each listed environment with sync windows, whether they are open now and when
/// they open next, from the windows its last run read (one state read per environment).
/// </summary>
internal static class SyncWindowLines
{
    public static async Task WriteAsync(TextWriter writer, IEnvironmentStateStore states, IEnumerable<string> environmentKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var key in environmentKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (await states.GetAsync(key, cancellationToken).ConfigureAwait(false) is not { } stored
                || SyncWindows.Describe(stored.State.SyncWindows, now) is not { } text)
            {
                continue;
            }

            if (first)
            {
                writer.WriteLine();
                writer.WriteLine("Sync windows:");
                first = false;
            }

            writer.WriteLine($"  {key}: {text}");
        }
    }
}
