using Flotilla.Api.Serialization;

namespace Flotilla.ApiServer.Tests.Protobuf;

public sealed class GoDurationTests
{
    // The cases of Go's time.TestDurationString.
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1_100L, "1.1µs")]
    [InlineData(2_200_000L, "2.2ms")]
    [InlineData(3_300_000_000L, "3.3s")]
    [InlineData(245_000_000_000L, "4m5s")]
    [InlineData(245_001_000_000L, "4m5.001s")]
    [InlineData(18_367_001_000_000L, "5h6m7.001s")]
    [InlineData(480_000_000_001L, "8m0.000000001s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    [InlineData(-1L, "-1ns")]
    public void Format_Nanoseconds_IsGosDurationString(long nanoseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(nanoseconds));
    }
}
