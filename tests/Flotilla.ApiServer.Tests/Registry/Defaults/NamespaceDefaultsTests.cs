using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class NamespaceDefaultsTests
{
    [Theory]
    [InlineData("""{"metadata":{"name":"team-a"}}""", """{"kubernetes.io/metadata.name":"team-a"}""")]
    [InlineData("""{"metadata":{"name":"team-a","labels":{"env":"prod","kubernetes.io/metadata.name":"spoofed"}}}""",
        """{"env":"prod","kubernetes.io/metadata.name":"team-a"}""")]
    public void Apply_Named_LabelledWithItsName(string manifest, string expected)
    {
        var ns = Defaulted.Json<V1Namespace>(manifest);

        JsonAssert.Equal(expected, ns.At("metadata.labels"));
        Assert.Equal("Active", (string?)ns.At("status.phase"));
    }

    [Fact]
    public void Apply_GenerateNameOnly_NoLabels()
    {
        var ns = Defaulted.Json<V1Namespace>("""{"metadata":{"generateName":"team-"}}""");

        Assert.Null(ns.At("metadata.labels"));
    }

    [Fact]
    public void Apply_TerminatingPhase_Kept()
    {
        var ns = Defaulted.Json<V1Namespace>("""{"metadata":{"name":"a"},"status":{"phase":"Terminating"}}""");

        Assert.Equal("Terminating", (string?)ns.At("status.phase"));
    }
}
