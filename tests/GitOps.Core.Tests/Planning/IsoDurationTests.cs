using GitOps.Core.Planning;

namespace GitOps.Core.Tests.Planning;

public sealed class IsoDurationTests
{
    [Theory]
    [InlineData("PT60S", 0, 60)]
    [InlineData("P1DT1H", 0, 90000)]
    [InlineData("P1W", 0, 604800)]
    [InlineData("P2Y3M", 27, 0)]
    [InlineData("-PT1M", 0, -60)]
    [InlineData("PT0.5S", 0, 0.5)]
    public void Parses_Valid_Durations(string text, int months, double seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration));
        Assert.Equal(new IsoDuration(months, (decimal)seconds), duration);
    }

    [Theory]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("Premium")]
    [InlineData("PT1M1H")]
    [InlineData("P1H")]
    [InlineData("1.15:59:59")]
    [InlineData("P0.5M")]
    public void Rejects_Anything_Else(string text) => Assert.False(IsoDuration.TryParse(text, out _));
}
