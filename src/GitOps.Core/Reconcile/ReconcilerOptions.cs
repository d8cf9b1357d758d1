using GitOps.Core.Apply;
using GitOps.Core.Manifests;

namespace GitOps.Core.Reconcile;

/// <summary>Options of the <see cref="Reconciler"/>.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>How long a job waits before it runs again when another worker holds its environment.</summary>
    public TimeSpan LeaseBusyDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Manifest limits.</summary>
    public ManifestLimits Limits { get; init; } = ManifestLimits.Default;

    /// <summary>Observe/apply parallelism.</summary>
    public ApplyOptions Apply { get; init; } = ApplyOptions.Default;

    /// <summary>How many times the state write is retried after losing an ETag race to an api write (suspend/resume).</summary>
    public int StateWriteAttempts { get; init; } = 5;

    /// <summary>The defaults.</summary>
    public static ReconcilerOptions Default { get; } = new();
}
