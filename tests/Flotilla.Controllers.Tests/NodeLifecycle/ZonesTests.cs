using Flotilla.Controllers.NodeLifecycle;
using k8s.Models;

namespace Flotilla.Controllers.Tests.NodeLifecycle;

public sealed class ZonesTests
{
    [Theory]
    [InlineData(3, 0, Zones.Normal)]
    [InlineData(2, 1, Zones.Normal)]
    [InlineData(1, 2, Zones.Normal)]            // two not ready is never partial disruption
    [InlineData(0, 3, Zones.FullDisruption)]
    [InlineData(2, 3, Zones.PartialDisruption)] // 3 of 5 = 60 % >= 55 %
    [InlineData(3, 3, Zones.Normal)]            // 50 %
    public void State_CountsNotReadyNodes(int ready, int notReady, string state)
    {
        var conditions = Enumerable.Repeat<V1NodeCondition?>(new V1NodeCondition { Type = "Ready", Status = "True" }, ready)
            .Concat(Enumerable.Repeat<V1NodeCondition?>(null, notReady)).ToList();

        Assert.Equal(state, Zones.State(conditions, 0.55));
    }

    [Fact]
    public void Key_IsRegionAndZone_OrEmpty()
    {
        Assert.Equal(string.Empty, Zones.Key(new V1Node { Metadata = new V1ObjectMeta() }));
        var node = new V1Node { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "a", ["topology.kubernetes.io/region"] = "eu" } } };
        Assert.Equal("eu:\0:a", Zones.Key(node));
    }
}
