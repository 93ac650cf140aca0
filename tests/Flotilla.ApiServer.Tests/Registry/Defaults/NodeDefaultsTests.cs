using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class NodeDefaultsTests
{
    [Theory]
    [InlineData("""{"capacity":{"cpu":"4","memory":"8Gi"}}""", """{"cpu":"4","memory":"8Gi"}""")]
    [InlineData("""{"capacity":{"cpu":"4"},"allocatable":{"cpu":"3500m"}}""", """{"cpu":"3500m"}""")]
    [InlineData("""{"capacity":{}}""", null)]
    [InlineData("""{}""", null)]
    public void Apply_Status_AllocatableDefaultsToCapacity(string status, string? expected)
    {
        var node = Defaulted.Json<V1Node>("""{"metadata":{"name":"n"},"status":STATUS}""".Replace("STATUS", status, StringComparison.Ordinal));

        if (expected is null)
        {
            Assert.Null(node.At("status.allocatable"));
        }
        else
        {
            JsonAssert.Equal(expected, node.At("status.allocatable"));
        }
    }

    [Fact]
    public void Apply_AllocatableCopied_IndependentOfCapacity()
    {
        var node = Defaulted.Object<V1Node>("""{"status":{"capacity":{"cpu":"4"}}}""");

        node.Status.Capacity["cpu"] = new ResourceQuantity("8");

        Assert.Equal("4", node.Status.Allocatable["cpu"].ToString());
    }

    [Fact]
    public void Apply_NoStatus_NoneMade() => Assert.Null(Defaulted.Object<V1Node>("""{"metadata":{"name":"n"}}""").Status);
}
