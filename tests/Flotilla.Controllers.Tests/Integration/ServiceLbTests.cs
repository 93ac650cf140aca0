using System.Globalization;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>LoadBalancer Services without a cloud (ServiceLB) against a real API server and the whole controller manager.</summary>
public sealed class ServiceLbTests : Testing.ManagedCluster
{
    [Fact]
    public async Task ABalancedService_GetsTheReadyNodesAddresses_ALaterOneOnTheSamePortWaits_UntilThePortIsFree()
    {
        await ReadyNodeAsync("lb-b", "192.0.2.20", external: null);
        await ReadyNodeAsync("lb-a", "192.0.2.11", external: "198.51.100.7");
        await Admin.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "lb-c" } });

        await Admin.CoreV1.CreateNamespacedServiceAsync(Balanced("first", 80), "default");
        var first = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedServiceAsync("first", "default"), s => s.Status?.LoadBalancer?.Ingress?.Count > 0);
        Assert.Equal(["192.0.2.20", "198.51.100.7"], first.Status.LoadBalancer.Ingress.Select(i => i.Ip));

        // Port 80 is first's: second waits, and says why.
        await Admin.CoreV1.CreateNamespacedServiceAsync(Balanced("second", 80), "default");
        var failed = await EventuallyAsync(
            async () => (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=second,reason=SyncLoadBalancerFailed")).Items,
            e => e.Count > 0);
        Assert.Equal("Error syncing load balancer: failed to ensure load balancer: port 80/TCP is already used by load balancer service default/first", failed[0].Message);
        Assert.Equal("Warning", failed[0].Type);
        Assert.Empty((await Admin.CoreV1.ReadNamespacedServiceAsync("second", "default")).Status?.LoadBalancer?.Ingress ?? []);

        // first is no longer balanced: its status is cleared, and second gets the port.
        var changed = await Admin.CoreV1.ReadNamespacedServiceAsync("first", "default");
        changed.Spec.Type = "ClusterIP";
        foreach (var port in changed.Spec.Ports)
        {
            port.NodePort = null;
        }

        changed.Spec.ExternalTrafficPolicy = null;
        changed.Spec.AllocateLoadBalancerNodePorts = null;
        await Admin.CoreV1.ReplaceNamespacedServiceAsync(changed, "first", "default");
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedServiceAsync("first", "default"), s => s.Status?.LoadBalancer?.Ingress is null or { Count: 0 });
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedServiceAsync("second", "default"), s => s.Status?.LoadBalancer?.Ingress?.Count == 2);

        // A service of another load balancer implementation is left alone.
        var other = Balanced("other", 81);
        other.Spec.LoadBalancerClass = "example.com/lb";
        await Admin.CoreV1.CreateNamespacedServiceAsync(other, "default");
        await Task.Delay(1000);
        Assert.Empty((await Admin.CoreV1.ReadNamespacedServiceAsync("other", "default")).Status?.LoadBalancer?.Ingress ?? []);
    }

    private static V1Service Balanced(string name, int port) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Type = "LoadBalancer", Selector = new Dictionary<string, string> { ["app"] = name }, Ports = [new V1ServicePort { Port = port, TargetPort = 8080 }] },
    };

    private async Task ReadyNodeAsync(string name, string internalIp, string? external)
    {
        await Admin.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } });
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var addresses = external is null
            ? $$"""[{"type":"InternalIP","address":"{{internalIp}}"}]"""
            : $$"""[{"type":"InternalIP","address":"{{internalIp}}"},{"type":"ExternalIP","address":"{{external}}"}]""";
        var patch = $$$"""{"status":{"addresses":{{{addresses}}},"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"{{{now}}}","lastTransitionTime":"{{{now}}}"}]}}""";
        await Admin.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name);
    }
}
