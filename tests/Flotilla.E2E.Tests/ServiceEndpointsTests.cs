using System.Globalization;

namespace Flotilla.E2E.Tests;

/// <summary>
/// A Service's Endpoints and EndpointSlices inside <c>./flotilla up</c>, as the real kubectl lists them. No kubelet
/// runs the pods yet: <see cref="PlayKubeletAsync"/> reports each scheduled pod Running and Ready with an IP.
/// </summary>
public sealed class ServiceEndpointsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task GetEndpointsAndEndpointSlices_ListTheReadyPods_AndFollowScaleAndDelete()
    {
        await cluster.KubectlOkInputAsync(NodeManifests.E2eNode, "create", "-f", "-");
        using var stop = new CancellationTokenSource();
        var kubelet = PlayKubeletAsync(stop.Token);

        await cluster.KubectlOkAsync("create", "deployment", "e2e-svc", "--image=busybox:1.35", "--replicas=2", "--port=8080");
        await cluster.KubectlOkAsync("expose", "deployment", "e2e-svc", "--port=80", "--target-port=8080");

        var ips = await WaitForAsync(async () => (await cluster.KubectlAsync("get", "endpoints", "e2e-svc", "-o", "jsonpath={.subsets[*].addresses[*].ip}")).Stdout, v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 2);
        var sorted = ips.Split(' ').Order(StringComparer.Ordinal).ToArray();
        var listed = await WaitForAsync(() => cluster.KubectlOkAsync("get", "endpoints,endpointslices", "-l", "app=e2e-svc"), v => v.Contains($"{sorted[0]},{sorted[1]}", StringComparison.Ordinal));
        Assert.Matches($@"endpoints/e2e-svc\s+{sorted[0]}:8080,{sorted[1]}:8080\s", listed);
        Assert.Matches($@"endpointslice.discovery.k8s.io/e2e-svc-[a-z0-9]{{5}}\s+IPv4\s+8080\s+{sorted[0]},{sorted[1]}\s", listed);
        var describe = await cluster.KubectlOkAsync("describe", "endpointslices", "-l", "kubernetes.io/service-name=e2e-svc");
        Assert.Contains("endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io", describe, StringComparison.Ordinal);
        Assert.Matches(@"Ready:\s+true", describe);
        Assert.Contains("NodeName:   e2e-node", describe, StringComparison.Ordinal);

        await cluster.KubectlOkAsync("scale", "deployment/e2e-svc", "--replicas=0");
        await WaitForAsync(() => cluster.KubectlOkAsync("get", "endpoints", "e2e-svc"), v => v.Contains("<none>", StringComparison.Ordinal));

        // No kubelet finishes the pods: terminating, they stay in the slice, no longer ready (as upstream).
        var conditions = "{.items[*].endpoints[*].conditions}";
        await WaitForAsync(() => cluster.KubectlOkAsync("get", "endpointslices", "-l", "kubernetes.io/service-name=e2e-svc", "-o", "jsonpath=" + conditions), v => v.Split(' ').Length == 2 && v.Split(' ').All(c => c.Contains("\"ready\":false", StringComparison.Ordinal) && c.Contains("\"terminating\":true", StringComparison.Ordinal)));

        await cluster.KubectlOkAsync("delete", "service", "e2e-svc");
        await WaitForAsync(async () => (await cluster.KubectlAsync("get", "endpoints", "e2e-svc")).Stderr, v => v.Contains("NotFound", StringComparison.Ordinal));
        await WaitForAsync(async () => (await cluster.KubectlAsync("get", "endpointslices", "-l", "kubernetes.io/service-name=e2e-svc")).Stderr, v => v.Contains("No resources found", StringComparison.Ordinal));

        await stop.CancelAsync();
        await kubelet;
    }

    private static Task<string> WaitForAsync(Func<Task<string>> read, Func<string, bool> done) => Eventually.WaitForAsync(read, done, seconds: 30);

    private async Task PlayKubeletAsync(CancellationToken cancellationToken)
    {
        var next = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (_, pending, _) = await cluster.KubectlAsync("get", "pods", "-l", "app=e2e-svc", "--field-selector=status.phase=Pending,spec.nodeName=e2e-node", "-o", "name");
            foreach (var pod in pending.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                var ip = $"10.42.7.{next++}";
                await cluster.KubectlAsync("patch", pod, "--subresource=status", "--type=merge", "-p", $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}],"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""");
            }

            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
