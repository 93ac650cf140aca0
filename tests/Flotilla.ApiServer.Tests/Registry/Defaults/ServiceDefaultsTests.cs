using Flotilla.Api.Defaults;
using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ServiceDefaultsTests
{
    [Fact]
    public void Apply_EmptyService_ClusterIPWithoutAffinity()
    {
        var svc = Defaulted.Json<V1Service>("""{"spec":{}}""");

        JsonAssert.Equal("""{"internalTrafficPolicy":"Cluster","sessionAffinity":"None","type":"ClusterIP"}""", svc["spec"]);
    }

    // Upstream's TestSetDefaultServiceTargetPort: an unset (0 or "") target port is the port.
    [Theory]
    [InlineData("""{"port":80}""", """{"port":80,"protocol":"TCP","targetPort":80}""")]
    [InlineData("""{"port":80,"targetPort":0}""", """{"port":80,"protocol":"TCP","targetPort":80}""")]
    [InlineData("""{"port":80,"targetPort":""}""", """{"port":80,"protocol":"TCP","targetPort":80}""")]
    [InlineData("""{"port":80,"targetPort":8080}""", """{"port":80,"protocol":"TCP","targetPort":8080}""")]
    [InlineData("""{"port":80,"targetPort":"http"}""", """{"port":80,"protocol":"TCP","targetPort":"http"}""")]
    [InlineData("""{"port":53,"protocol":"UDP"}""", """{"port":53,"protocol":"UDP","targetPort":53}""")]
    public void Apply_Port_ProtocolAndTargetPort(string port, string expected)
    {
        var svc = Defaulted.SpecJson<V1Service>("{\"ports\":[" + port + "]}");

        JsonAssert.Equal(expected, svc.At("spec.ports.0"));
    }

    [Theory]
    [InlineData("""{"type":"ClusterIP"}""", null)]
    [InlineData("""{"type":"ClusterIP","externalIPs":["1.2.3.4"]}""", "Cluster")]
    [InlineData("""{"type":"NodePort"}""", "Cluster")]
    [InlineData("""{"type":"LoadBalancer"}""", "Cluster")]
    [InlineData("""{"type":"LoadBalancer","externalTrafficPolicy":"Local"}""", "Local")]
    [InlineData("""{"type":"ExternalName","externalName":"example.com"}""", null)]
    public void Apply_Type_ExternalTrafficPolicyForExternallyAccessible(string spec, string? expected)
    {
        var svc = Defaulted.SpecJson<V1Service>(spec);

        Assert.Equal(expected, (string?)svc.At("spec.externalTrafficPolicy"));
    }

    [Theory]
    [InlineData("ClusterIP", "Cluster")]
    [InlineData("NodePort", "Cluster")]
    [InlineData("LoadBalancer", "Cluster")]
    [InlineData("ExternalName", null)]
    public void Apply_Type_InternalTrafficPolicy(string type, string? expected)
    {
        var svc = Defaulted.SpecJson<V1Service>("{\"type\":\"" + type + "\"}");

        Assert.Equal(expected, (string?)svc.At("spec.internalTrafficPolicy"));
    }

    [Fact]
    public void Apply_ExplicitInternalTrafficPolicy_Kept()
    {
        var svc = Defaulted.Json<V1Service>("""{"spec":{"internalTrafficPolicy":"Local"}}""");

        Assert.Equal("Local", (string?)svc.At("spec.internalTrafficPolicy"));
    }

    [Theory]
    [InlineData("""{"sessionAffinity":"None","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}""", "None", null)]
    [InlineData("""{"sessionAffinity":"ClientIP"}""", "ClientIP", """{"clientIP":{"timeoutSeconds":10800}}""")]
    [InlineData("""{"sessionAffinity":"ClientIP","sessionAffinityConfig":{}}""", "ClientIP", """{"clientIP":{"timeoutSeconds":10800}}""")]
    [InlineData("""{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}}""", "ClientIP", """{"clientIP":{"timeoutSeconds":60}}""")]
    public void Apply_SessionAffinity_ConfigByAffinity(string spec, string affinity, string? config)
    {
        var svc = Defaulted.SpecJson<V1Service>(spec);

        Assert.Equal(affinity, (string?)svc.At("spec.sessionAffinity"));
        if (config is null)
        {
            Assert.Null(svc.At("spec.sessionAffinityConfig"));
        }
        else
        {
            JsonAssert.Equal(config, svc.At("spec.sessionAffinityConfig"));
        }
    }

    [Theory]
    [InlineData("LoadBalancer", null, true)]
    [InlineData("LoadBalancer", false, false)]
    [InlineData("NodePort", null, null)]
    public void Apply_Type_AllocateLoadBalancerNodePorts(string type, bool? given, bool? expected)
    {
        var svc = Defaulted.SpecObject<V1Service>("{\"type\":\"" + type + "\"}");
        svc.Spec.AllocateLoadBalancerNodePorts = given;

        ServiceDefaults.Apply(svc);

        Assert.Equal(expected, svc.Spec.AllocateLoadBalancerNodePorts);
    }

    // Upstream's TestSetDefaultServiceLoadbalancerIPMode.
    [Theory]
    [InlineData("LoadBalancer", """{"ip":"1.2.3.4"}""", "VIP")]
    [InlineData("LoadBalancer", """{"ip":"1.2.3.4","ipMode":"Proxy"}""", "Proxy")]
    [InlineData("LoadBalancer", """{"hostname":"lb.example.com"}""", null)]
    [InlineData("ClusterIP", """{"ip":"1.2.3.4"}""", null)]
    public void Apply_LoadBalancerIngress_IPModeVip(string type, string ingress, string? expected)
    {
        var svc = Defaulted.Json<V1Service>("{\"spec\":{\"type\":\"" + type + "\"},\"status\":{\"loadBalancer\":{\"ingress\":[" + ingress + "]}}}");

        Assert.Equal(expected, (string?)svc.At("status.loadBalancer.ingress.0.ipMode"));
    }

    // "kubectl create service nodeport web --tcp=80:8080" as kube-apiserver v1.32 returns it, less allocated IPs and ports.
    [Fact]
    public void Apply_KubectlCreateNodePort_MatchesUpstream()
    {
        var svc = Defaulted.Json<V1Service>("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}],"selector":{"app":"web"},"type":"NodePort"},
             "status":{"loadBalancer":{}}}
            """);

        JsonAssert.Equal("""
            {"externalTrafficPolicy":"Cluster","internalTrafficPolicy":"Cluster",
             "ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}],
             "selector":{"app":"web"},"sessionAffinity":"None","type":"NodePort"}
            """, svc["spec"]);
    }
}
