namespace GitOps.Core.Manifests;

/// <summary>
/// A resource's health assertions (<c>reconcile.health</c> and <c>reconcile.healthTimeout</c>): after a write, the
/// live body must hold each expected value before the resource counts as applied, and before its dependents start.
/// </summary>
/// <param name="Checks">The assertions, all of which must hold.</param>
/// <param name="Timeout">How long to wait for them after the write (bounded; see <see cref="MaxTimeout"/>).</param>
public sealed record HealthSettings(IReadOnlyList<HealthAssertion> Checks, TimeSpan Timeout)
{
    /// <summary>The wait when <c>healthTimeout</c> is not given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait a manifest may ask for: a run holds the environment's lease while it waits.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(30);
}

/// <summary>One health assertion: the value at a JSON pointer of the live body equals a text.</summary>
/// <param name="Path">A JSON pointer into the live ARM body, e.g. <c>/properties/state</c>.</param>
/// <param name="EqualsValue">The expected value as written in YAML (a JSON string compares by its text, a number or boolean by its JSON form).</param>
public sealed record HealthAssertion(string Path, string EqualsValue);
