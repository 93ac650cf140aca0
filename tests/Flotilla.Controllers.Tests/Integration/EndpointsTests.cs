using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>
/// The endpoints and EndpointSlice controllers against a real HTTPS API server on 127.0.0.1: a Service's Endpoints
/// and slices follow its pods' readiness, and go with it. No kubelet runs: <see cref="ReportAsync"/> plays one.
/// </summary>
public sealed class EndpointsTests : Testing.ManagedCluster
{
    [Fact]
    public async Task EndpointsAndSlices_FollowReadiness_AndGoWithTheService()
    {
        await Admin.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-a" } } });
        var service = await Admin.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "web", Labels = new Dictionary<string, string> { ["team"] = "a" } },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
            },
            "default");

        // No pods yet: empty Endpoints and a placeholder slice.
        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedEndpointsAsync("default", fieldSelector: "metadata.name=web")).Items, e => e.Count == 1 && e[0].Metadata.Labels?["team"] == "a");
        await EventuallyAsync(SlicesAsync, s => s.Count == 1 && (s[0].Endpoints?.Count ?? 0) == 0);

        for (var i = 1; i <= 3; i++)
        {
            var pod = await Admin.CoreV1.CreateNamespacedPodAsync(Pod($"web-{i}"), "default");
            await ReportAsync(pod, $"10.42.0.{i + 10}", ready: i != 3);
        }

        var endpoints = await EventuallyAsync(
            () => Admin.CoreV1.ReadNamespacedEndpointsAsync("web", "default"),
            e => e.Subsets?.Count == 1 && e.Subsets[0].Addresses?.Count == 2 && e.Subsets[0].NotReadyAddresses?.Count == 1);
        Assert.Equal(["10.42.0.11", "10.42.0.12"], endpoints.Subsets[0].Addresses.Select(a => a.Ip));
        Assert.Equal(8080, Assert.Single(endpoints.Subsets[0].Ports).Port);

        var slice = Assert.Single(await EventuallyAsync(SlicesAsync, s => s.Count == 1 && s[0].Endpoints?.Count == 3));
        Assert.Equal(service.Metadata.Uid, Assert.Single(slice.Metadata.OwnerReferences).Uid);
        Assert.Equal("endpointslice-controller.k8s.io", slice.Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
        var notReady = Assert.Single(slice.Endpoints, e => e.TargetRef.Name == "web-3");
        Assert.Equal((false, false, false, "node-1", "zone-a"), (notReady.Conditions.Ready, notReady.Conditions.Serving, notReady.Conditions.Terminating, notReady.NodeName, notReady.Zone));

        // Readiness flips: both follow, the slice updated in place.
        await ReportAsync(await Admin.CoreV1.ReadNamespacedPodAsync("web-3", "default"), "10.42.0.13", ready: true);
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedEndpointsAsync("web", "default"), e => e.Subsets?[0].Addresses?.Count == 3 && e.Subsets[0].NotReadyAddresses is null);
        var updated = Assert.Single(await EventuallyAsync(SlicesAsync, s => s.Count == 1 && s[0].Endpoints.All(e => e.Conditions.Ready == true)));
        Assert.Equal(slice.Metadata.Name, updated.Metadata.Name);
        Assert.True(updated.Metadata.Generation > slice.Metadata.Generation);

        // The Service goes: its Endpoints are deleted, its slices collected.
        await Admin.CoreV1.DeleteNamespacedServiceAsync("web", "default");
        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedEndpointsAsync("default", fieldSelector: "metadata.name=web")).Items.Count, n => n == 0);
        await EventuallyAsync(SlicesAsync, s => s.Count == 0);

        // Each wrote as its own service account.
        Assert.NotNull((await Admin.CoreV1.ReadNamespacedServiceAccountAsync("endpoint-controller", "kube-system")).Metadata.Uid);
        Assert.NotNull((await Admin.CoreV1.ReadNamespacedServiceAccountAsync("endpointslice-controller", "kube-system")).Metadata.Uid);
    }

    private async Task<IList<V1EndpointSlice>> SlicesAsync() =>
        (await Admin.DiscoveryV1.ListNamespacedEndpointSliceAsync("default", labelSelector: "kubernetes.io/service-name=web")).Items;

    /// <summary>What a kubelet reports for a started pod: Running, an IP, and Ready or not.</summary>
    private async Task ReportAsync(V1Pod pod, string ip, bool ready)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var status = ready ? "True" : "False";
        var patch = $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}],"conditions":[{"type":"Ready","status":"{{{status}}}","lastTransitionTime":"{{{now}}}"}]}}""";
        await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, "default");
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            AutomountServiceAccountToken = false,
            Containers = [new V1Container { Name = "c", Image = "busybox:1.35", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }],
        },
    };
}
