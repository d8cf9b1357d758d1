using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// Live state could not be read for some resources, so no trustworthy plan exists. Transient when every failure is.
/// </summary>
public sealed class ObservationException : Exception
{
    /// <summary>Creates the exception from the failed GETs.</summary>
    public ObservationException(IReadOnlyList<(string Id, ArmRequestException Error)> failures)
        : base(Describe(failures))
    {
        Failures = failures;
    }

    /// <summary>The failed GETs.</summary>
    public IReadOnlyList<(string Id, ArmRequestException Error)> Failures { get; }

    /// <summary>True when retrying later can help.</summary>
    public bool IsTransient => Failures.All(f => f.Error.IsTransient);

    /// <summary>The longest wait ARM asked for in the failed GETs (see <see cref="ArmRequestException.AskedWait"/>); null when none asked.</summary>
    public TimeSpan? RetryAfter => Failures.Select(f => f.Error.AskedWait).Max();

    private static string Describe(IReadOnlyList<(string Id, ArmRequestException Error)> failures)
    {
        var lines = failures.Take(10).Select(f => $"  {f.Id}: {f.Error.Code}: {f.Error.ArmMessage}");
        var more = failures.Count > 10 ? $"{Environment.NewLine}  … and {failures.Count - 10} more" : string.Empty;
        return $"Could not read the live state of {failures.Count} resource(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{more}";
    }
}
