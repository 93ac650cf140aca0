using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class EndpointSliceDefaultsTests
{
    // Upstream's discovery/v1 TestSetDefaultEndpointPort.
    [Theory]
    [InlineData("""{"port":80}""", """{"name":"","port":80,"protocol":"TCP"}""")]
    [InlineData("""{"name":"http","port":80,"protocol":"UDP"}""", """{"name":"http","port":80,"protocol":"UDP"}""")]
    [InlineData("""{"name":"","protocol":"SCTP"}""", """{"name":"","protocol":"SCTP"}""")]
    public void Apply_Port_EmptyNameAndTcp(string port, string expected)
    {
        var slice = Defaulted.Json<V1EndpointSlice>("""{"addressType":"IPv4","endpoints":[],"ports":[PORT]}""".Replace("PORT", port, StringComparison.Ordinal));

        JsonAssert.Equal(expected, slice.At("ports.0"));
    }
}
