using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ResourceQuotaDefaultsTests
{
    [Fact]
    public void Apply_Quantities_EveryListRoundedToMilli()
    {
        var quota = Defaulted.Object<V1ResourceQuota>("""
            {"spec":{"hard":{"cpu":"0.0001"}},"status":{"hard":{"cpu":"0.0001"},"used":{"cpu":"1.5u"}}}
            """);

        Assert.Equal("1m", quota.Spec.Hard["cpu"].ToString());
        Assert.Equal("1m", quota.Status.Hard["cpu"].ToString());
        Assert.Equal("1m", quota.Status.Used["cpu"].ToString());
    }
}
