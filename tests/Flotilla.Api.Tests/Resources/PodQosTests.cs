using Flotilla.Api.Resources;
using k8s.Models;

namespace Flotilla.Api.Tests.Resources;

/// <summary>Upstream's qos_test.go cases.</summary>
public sealed class PodQosTests
{
    [Theory]
    [InlineData(PodQos.BestEffort, null, null)]
    [InlineData(PodQos.BestEffort, "nvidia.com/gpu=1", "nvidia.com/gpu=1")]
    [InlineData(PodQos.Guaranteed, "cpu=100m,memory=100Mi", "cpu=100m,memory=100Mi")]
    [InlineData(PodQos.Burstable, "cpu=100m,memory=100Mi", "cpu=200m,memory=100Mi")]
    [InlineData(PodQos.Burstable, "cpu=100m", null)]
    [InlineData(PodQos.Burstable, null, "cpu=100m")]
    [InlineData(PodQos.Burstable, "cpu=0", "memory=10Mi")]
    public void OneContainer(string expected, string? requests, string? limits)
    {
        Assert.Equal(expected, PodQos.Of(Pod(Container(requests, limits))));
    }

    [Fact]
    public void EveryContainer_MustLimitCpuAndMemory_ForGuaranteed()
    {
        Assert.Equal(PodQos.Guaranteed, PodQos.Of(Pod(Container("cpu=1,memory=1Gi", "cpu=1,memory=1Gi"), Container("cpu=2,memory=1Gi", "cpu=2,memory=1Gi"))));
        Assert.Equal(PodQos.Burstable, PodQos.Of(Pod(Container("cpu=1,memory=1Gi", "cpu=1,memory=1Gi"), Container(null, null))));
    }

    private static V1Pod Pod(params V1Container[] containers) => new() { Spec = new V1PodSpec { Containers = containers } };

    private static V1Container Container(string? requests, string? limits) => new()
    {
        Name = "c",
        Resources = new V1ResourceRequirements { Requests = Parse(requests), Limits = Parse(limits) },
    };

    private static Dictionary<string, ResourceQuantity>? Parse(string? list) =>
        list?.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => new ResourceQuantity(p[1]));
}
