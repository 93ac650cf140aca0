using Flotilla.ApiServer.Protobuf;

namespace Flotilla.ApiServer.Tests.Protobuf;

public sealed class KubernetesTimeTests
{
    [Theory]
    [InlineData(1_700_000_000L, 123_456_789, false, "2023-11-14T22:13:20Z")]
    [InlineData(1_700_000_000L, 123_456_789, true, "2023-11-14T22:13:20.123456Z")]
    [InlineData(1_700_000_000L, 999, true, "2023-11-14T22:13:20.000000Z")]
    [InlineData(1_700_000_000L, 1_500_000_000, true, "2023-11-14T22:13:21.500000Z")]
    [InlineData(1_700_000_000L, -500_000_000, true, "2023-11-14T22:13:19.500000Z")]
    [InlineData(-62_135_596_800L, 0, true, null)]
    [InlineData(-62_135_596_800L, 1_000, true, "0001-01-01T00:00:00.000001Z")]
    public void Format_Timestamp_IsRfc3339InUtc(long seconds, int nanos, bool micro, string? expected)
    {
        Assert.Equal(expected, KubernetesTime.Format(seconds, nanos, micro));
    }

    [Theory]
    [InlineData(-62_135_596_801L)]
    [InlineData(253_402_300_800L)]
    [InlineData(long.MaxValue)]
    public void Format_OutsideYears1To9999_Throws(long seconds)
    {
        Assert.Throws<ProtobufDecodeException>(() => KubernetesTime.Format(seconds, 0, micro: false));
    }
}
