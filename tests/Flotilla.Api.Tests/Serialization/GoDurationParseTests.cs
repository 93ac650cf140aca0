using Flotilla.Api.Serialization;

namespace Flotilla.Api.Tests.Serialization;

/// <summary>Go's time.ParseDuration: values and error texts as Go gives them.</summary>
public sealed class GoDurationParseTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("90s", 90_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("2.s", 2_000_000_000L)]
    [InlineData("-1m", -60_000_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("10µs", 10_000L)]
    [InlineData("1h2m3s4ms", 3_723_004_000_000L)]
    public void ReadsGoDurations(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(nanoseconds / 100), duration);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("h", "time: invalid duration \"h\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("3000000h", "time: invalid duration \"3000000h\"")]
    public void RefusesWhatGoRefuses(string text, string error)
    {
        Assert.Equal(error, GoDuration.ParseError(text));
        Assert.False(GoDuration.TryParse(text, out _));
    }
}
