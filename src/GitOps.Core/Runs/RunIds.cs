using System.Globalization;

namespace GitOps.Core.Runs;

/// <summary>
/// Run ids that sort newest first as plain strings (blob listings are ordinal): inverted ticks, then a random part.
/// </summary>
public static class RunIds
{
    /// <summary>A new run id for a run starting at <paramref name="startedAt"/>.</summary>
    public static string New(DateTimeOffset startedAt)
    {
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - startedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        return $"{inverted}-{Guid.NewGuid():N}"[..32];
    }
}
