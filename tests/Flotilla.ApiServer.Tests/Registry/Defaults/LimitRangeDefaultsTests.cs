using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class LimitRangeDefaultsTests
{
    // Upstream's TestSetDefaultLimitRangeItem: default limit from max, default request from default limit, else min.
    [Theory]
    [InlineData(
        """{"type":"Container","max":{"cpu":"2"},"min":{"cpu":"100m","memory":"64Mi"}}""",
        """{"type":"Container","max":{"cpu":"2"},"min":{"cpu":"100m","memory":"64Mi"},"default":{"cpu":"2"},"defaultRequest":{"cpu":"2","memory":"64Mi"}}""")]
    [InlineData(
        """{"type":"Container","default":{"cpu":"500m"},"defaultRequest":{"memory":"1Gi"}}""",
        """{"type":"Container","default":{"cpu":"500m"},"defaultRequest":{"cpu":"500m","memory":"1Gi"}}""")]
    [InlineData(
        """{"type":"Container"}""",
        """{"type":"Container"}""")]
    [InlineData(
        """{"type":"Pod","max":{"cpu":"2"}}""",
        """{"type":"Pod","max":{"cpu":"2"}}""")]
    public void Apply_Item_ContainerDefaultsFromMaxAndMin(string item, string expected)
    {
        var limitRange = Defaulted.SpecJson<V1LimitRange>("""{"limits":[ITEM]}""".Replace("ITEM", item, StringComparison.Ordinal));

        JsonAssert.Equal(expected, limitRange.At("spec.limits.0"));
    }
}
