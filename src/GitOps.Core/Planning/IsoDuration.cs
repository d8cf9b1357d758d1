namespace GitOps.Core.Planning;

/// <summary>
/// ISO 8601 durations (<c>PT60S</c>, <c>P1DT2H</c>, <c>P1Y2M</c>), parsed without exceptions so that comparing
/// ordinary strings stays cheap. Services echo durations in their own canonical form (<c>PT60S</c> comes back as
/// <c>PT1M</c>), so two durations are equal when their calendar months and their fixed-length part are equal.
/// </summary>
internal readonly record struct IsoDuration(int Months, decimal Seconds)
{
    /// <summary>Parses <c>[-]P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]</c>; false for anything else.</summary>
    public static bool TryParse(string text, out IsoDuration duration)
    {
        duration = default;
        var span = text.AsSpan();
        var negative = false;
        if (span.Length > 0 && span[0] == '-')
        {
            negative = true;
            span = span[1..];
        }

        if (span.Length < 2 || span[0] != 'P')
        {
            return false;
        }

        span = span[1..];
        var months = 0m;
        var seconds = 0m;
        var inTime = false;
        var sawComponent = false;
        var lastRank = -1;
        while (span.Length > 0)
        {
            if (span[0] == 'T')
            {
                if (inTime || span.Length == 1)
                {
                    return false;
                }

                inTime = true;
                span = span[1..];
                continue;
            }

            var length = 0;
            while (length < span.Length && (char.IsAsciiDigit(span[length]) || span[length] == '.'))
            {
                length++;
            }

            if (length == 0 || length == span.Length
                || !decimal.TryParse(span[..length], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            // Units must come in the ISO order; "M" means months before T and minutes after it.
            var (rank, factor, isMonths) = (span[length], inTime) switch
            {
                ('Y', false) => (0, 12m, true),
                ('M', false) => (1, 1m, true),
                ('W', false) => (2, 7m * 86400m, false),
                ('D', false) => (3, 86400m, false),
                ('H', true) => (4, 3600m, false),
                ('M', true) => (5, 60m, false),
                ('S', true) => (6, 1m, false),
                _ => (-1, 0m, false),
            };
            if (rank <= lastRank)
            {
                return false;
            }

            lastRank = rank;
            sawComponent = true;
            if (isMonths)
            {
                months += number * factor;
            }
            else
            {
                seconds += number * factor;
            }

            span = span[(length + 1)..];
        }

        if (!sawComponent || months != decimal.Truncate(months) || months > int.MaxValue)
        {
            return false;
        }

        duration = negative ? new IsoDuration(-(int)months, -seconds) : new IsoDuration((int)months, seconds);
        return true;
    }
}
