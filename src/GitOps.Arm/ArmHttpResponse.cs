namespace GitOps.Arm;

/// <summary>A buffered ARM response: what the poller needs after the pipeline message is gone.</summary>
internal sealed record ArmHttpResponse(int Status, BinaryData Content, IReadOnlyDictionary<string, string> Headers)
{
    public const string CorrelationHeader = "x-ms-correlation-request-id";

    public string? CorrelationId => Header(CorrelationHeader);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The <c>Retry-After</c> ARM asked for: <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, or
    /// <c>Retry-After</c> in seconds (or, though ARM does not send it, an HTTP date).</summary>
    public TimeSpan? RetryAfter(DateTimeOffset now)
    {
        foreach (string msHeader in (ReadOnlySpan<string>)["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (Header(msHeader) is { } ms && double.TryParse(ms, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double millis) && millis >= 0)
            {
                return TimeSpan.FromMilliseconds(millis);
            }
        }

        if (Header("Retry-After") is not { } value)
        {
            return null;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
            ? (at > now ? at - now : TimeSpan.Zero)
            : null;
    }
}
