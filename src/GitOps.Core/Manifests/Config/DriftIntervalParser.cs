using System.Text.RegularExpressions;
using System.Xml;

namespace GitOps.Core.Manifests.Config;

/// <summary>
/// Parses drift intervals: short forms (<c>90s</c>, <c>30m</c>, <c>1h</c>, <c>1d</c>, combined as <c>1h30m</c>) or
/// ISO-8601 durations (<c>PT30M</c>).
/// </summary>
internal static partial class DriftIntervalParser
{
    /// <summary>The shortest interval accepted: a tighter loop only burns ARM read quota.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(1);

    /// <summary>Parses an interval, or returns null.</summary>
    public static TimeSpan? Parse(string text)
    {
        var match = ShortForm().Match(text);
        if (match.Success)
        {
            var total = TimeSpan.Zero;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var value = long.Parse(part.Value[..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (value > 100_000)
                {
                    return null;
                }

                total += part.Value[^1] switch
                {
                    's' => TimeSpan.FromSeconds(value),
                    'm' => TimeSpan.FromMinutes(value),
                    'h' => TimeSpan.FromHours(value),
                    _ => TimeSpan.FromDays(value),
                };
            }

            return total;
        }

        if (text.StartsWith('P'))
        {
            try
            {
                return XmlConvert.ToTimeSpan(text);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return null;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<part>\d{1,6}[smhd])+$")]
    private static partial Regex ShortForm();
}
