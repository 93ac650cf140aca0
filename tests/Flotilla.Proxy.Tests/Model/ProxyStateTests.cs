using Flotilla.Api.Services;
using Flotilla.Proxy.Model;
using k8s.Models;

namespace Flotilla.Proxy.Tests.Model;

public sealed class ProxyStateTests
{
    [Fact]
    public void HeadlessExternalNameAndOtherProxiesServices_AreLeftAlone()
    {
        var headless = Objects.Service("headless", "None");
        var external = Objects.Service("ext", "10.43.0.9");
        external.Spec.Type = "ExternalName";
        var other = Objects.Service("other", "10.43.0.8");
        other.Metadata.Labels = new Dictionary<string, string> { [ServiceLabels.ProxyName] = "someone-else" };

        var state = ProxyState.Build([headless, external, other, Objects.Service("web", "10.43.0.7")], [], "n1");

        Assert.Equal("default/web:http", Assert.Single(state.Ports).Port.Name.ToString());
    }

    [Fact]
    public void EndpointsOfAllSlices_MatchedByPortName_OnceEach_SortedByAddress()
    {
        var service = Objects.Service("web", "10.43.0.7");
        service.Spec.Ports.Add(new V1ServicePort { Name = "metrics", Port = 9090, Protocol = "TCP" });
        var state = ProxyState.Build(
            [service],
            [
                Objects.Slice("web", 8080, ("10.42.0.9", "n1", true), ("10.42.0.10", "n2", false)),
                Objects.Slice("web", 8080, ("10.42.0.10", "n2", true)),
                Objects.Slice("web", 9100, "default", "metrics", ("10.42.0.9", "n1", true)),
                Objects.Slice("web", 8080, "other", "http", ("10.42.5.5", "n1", true)),
            ],
            "n1");

        var http = state.Ports.Single(p => p.Port.Name.Port == "http");
        Assert.Equal(["10.42.0.10:8080", "10.42.0.9:8080"], http.Endpoints.Select(e => e.ToString()));
        Assert.True(http.Endpoints[0].Ready);
        Assert.Equal([false, true], http.Endpoints.Select(e => e.IsLocal));
        Assert.Equal("10.42.0.9:9100", Assert.Single(state.Ports.Single(p => p.Port.Name.Port == "metrics").Endpoints).ToString());
    }

    [Fact]
    public void WithNoReadyEndpoint_ServingTerminatingOnesTakeTheTraffic()
    {
        var state = ProxyState.Build([Objects.Service("web", "10.43.0.7")], [Objects.Slice("web", 8080, ("10.42.0.9", "n1", false), ("10.42.0.8", "n1", false))], "n1");
        var slice = Objects.Slice("web", 8080, ("10.42.0.9", "n1", false));
        slice.Endpoints[0].Conditions = new V1EndpointConditions { Ready = false, Serving = true, Terminating = true };
        var draining = ProxyState.Build([Objects.Service("web", "10.43.0.7")], [slice, Objects.Slice("web", 8080, ("10.42.0.8", "n1", false))], "n1");

        Assert.Empty(EndpointCategories.Of(state.Ports[0].Port, state.Ports[0].Endpoints).AllReachable);
        Assert.Equal("10.42.0.9:8080", Assert.Single(EndpointCategories.Of(draining.Ports[0].Port, draining.Ports[0].Endpoints).Cluster).ToString());
    }

    [Fact]
    public void SessionAffinityAndPolicies_AreReadFromTheSpec()
    {
        var service = Objects.Service("web", "10.43.0.7", type: "LoadBalancer", nodePort: 31000);
        service.Spec.SessionAffinity = "ClientIP";
        service.Spec.ExternalTrafficPolicy = "Local";
        service.Spec.ExternalIPs = ["192.0.2.10", "2001:db8::1"];
        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "10.0.0.5" }] } };

        var port = Assert.Single(ProxyState.Build([service], [], "n1").Ports).Port;

        Assert.Equal((10800, true, false, 31000, "tcp"), (port.AffinitySeconds!.Value, port.ExternalPolicyLocal, port.InternalPolicyLocal, port.NodePort, port.Protocol));
        Assert.Equal(["192.0.2.10"], port.ExternalIps);
        Assert.Equal(["10.0.0.5"], port.LoadBalancerIps);
    }
}
