using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class EndpointsDefaultsTests
{
    [Fact]
    public void Apply_SubsetPorts_TcpByDefault()
    {
        var endpoints = Defaulted.Json<V1Endpoints>("""
            {"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80},{"port":53,"protocol":"UDP"}]},{"addresses":[{"ip":"10.0.0.2"}]}]}
            """);

        JsonAssert.Equal("""[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]""", endpoints.At("subsets.0.ports"));
        Assert.Null(endpoints.At("subsets.1.ports"));
    }
}
