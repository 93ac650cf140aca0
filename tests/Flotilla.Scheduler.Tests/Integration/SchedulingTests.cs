using Flotilla.Scheduler.Tests.Testing;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Integration;

/// <summary>The scheduler against a real API server: pods land where the rules say, and unschedulable pods say why.</summary>
public sealed class SchedulingTests(SchedulerWorld world) : IClassFixture<SchedulerWorld>
{
    private static V1Pod Pod(string ns, string name, string? cpu = null, IDictionary<string, string>? nodeSelector = null, string? schedulerName = null)
    {
        var pod = Make.Pod(name, cpu: cpu, ns: ns, nodeSelector: nodeSelector);
        pod.Metadata.Uid = null;
        pod.Status = null;
        pod.Spec.SchedulerName = schedulerName;
        return pod;
    }

    private static V1Node Node(string name, string cpu, bool unschedulable = false, Dictionary<string, string>? labels = null)
    {
        var node = Make.Node(name, cpu: cpu, unschedulable: unschedulable, labels: labels);
        node.Metadata.Uid = null;
        return node;
    }

    [Fact]
    public async Task Pods_LandWhereResourcesAndSelectorsSay_AndOtherSchedulersPodsAreLeftAlone()
    {
        var ns = await world.NamespaceAsync("placement");
        await world.NodeAsync(Node("small", "1", labels: new() { ["disk"] = "hdd" }));
        await world.NodeAsync(Node("large", "8", labels: new() { ["disk"] = "ssd" }));

        var big = await world.WaitScheduledAsync(await world.PodAsync(Pod(ns, "big", cpu: "2")));
        Assert.Equal("large", big.Spec.NodeName);
        Assert.Contains(big.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "True");
        var selected = await world.WaitScheduledAsync(await world.PodAsync(Pod(ns, "hdd", nodeSelector: new Dictionary<string, string> { ["disk"] = "hdd" })));
        Assert.Equal("small", selected.Spec.NodeName);
        var scheduled = Assert.Single(await world.EventsAsync(big, "Scheduled"));
        Assert.Equal($"Successfully assigned {ns}/big to large", scheduled.Message);
        Assert.Equal("default-scheduler", scheduled.Source.Component);

        var other = await world.PodAsync(Pod(ns, "other", schedulerName: "someone-else"));
        await world.WaitScheduledAsync(await world.PodAsync(Pod(ns, "after-other")));
        Assert.Null((await world.Client.CoreV1.ReadNamespacedPodAsync(other.Metadata.Name, ns)).Spec.NodeName);
    }
}
