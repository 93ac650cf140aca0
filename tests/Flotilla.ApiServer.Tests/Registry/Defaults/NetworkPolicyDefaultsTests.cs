using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class NetworkPolicyDefaultsTests
{
    // Upstream's networking/v1 TestSetDefaultNetworkPolicyPolicyTypes.
    [Theory]
    [InlineData("""{"podSelector":{}}""", """["Ingress"]""")]
    [InlineData("""{"podSelector":{},"ingress":[{}]}""", """["Ingress"]""")]
    [InlineData("""{"podSelector":{},"egress":[{}]}""", """["Ingress","Egress"]""")]
    [InlineData("""{"podSelector":{},"egress":[]}""", """["Ingress"]""")]
    [InlineData("""{"podSelector":{},"egress":[{}],"policyTypes":["Egress"]}""", """["Egress"]""")]
    public void Apply_PolicyTypes_ImpliedByRules(string spec, string expected)
    {
        var policy = Defaulted.SpecJson<V1NetworkPolicy>(spec);

        JsonAssert.Equal(expected, policy.At("spec.policyTypes"));
    }

    [Fact]
    public void Apply_RulePorts_TcpByDefault()
    {
        var policy = Defaulted.SpecJson<V1NetworkPolicy>("""
            {"podSelector":{},"ingress":[{"ports":[{"port":80},{"port":53,"protocol":"UDP"}]}],"egress":[{"ports":[{"port":443}]}]}
            """);

        JsonAssert.Equal("""[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]""", policy.At("spec.ingress.0.ports"));
        JsonAssert.Equal("""[{"port":443,"protocol":"TCP"}]""", policy.At("spec.egress.0.ports"));
    }
}
