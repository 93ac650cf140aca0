using Flotilla.Scheduler.Tests.Testing;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Integration;

/// <summary>DefaultPreemption against a real API server: the cheapest victim is evicted and the preemptor takes its place.</summary>
public sealed class PreemptionTests(SchedulerWorld world) : IClassFixture<SchedulerWorld>
{
    [Fact]
    public async Task HighPriorityPod_EvictsTheLowestPriorityVictim_AndLandsOnItsNode()
    {
        var ns = await world.NamespaceAsync("preempt");
        foreach (var (name, value) in new[] { ("low", 10), ("mid", 100), ("high", 1000) })
        {
            await world.Client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = name }, Value = value });
        }

        foreach (var node in new[] { "n1", "n2" })
        {
            var n = Make.Node(node, cpu: "2");
            n.Metadata.Uid = null;
            await world.NodeAsync(n);
        }

        async Task<V1Pod> RunAsync(string name, string priorityClass, string node)
        {
            var pod = Make.Pod(name, cpu: "1500m", ns: ns);
            pod.Metadata.Uid = null;
            pod.Status = null;
            pod.Spec.PriorityClassName = priorityClass;
            pod.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node };
            pod.Spec.TerminationGracePeriodSeconds = 0;  // no kubelet here to confirm a graceful deletion
            return await world.WaitScheduledAsync(await world.PodAsync(pod));
        }

        var cheap = await RunAsync("cheap", "low", "n1");
        var dear = await RunAsync("dear", "mid", "n2");

        var preemptor = Make.Pod("preemptor", cpu: "1500m", ns: ns);
        preemptor.Metadata.Uid = null;
        preemptor.Status = null;
        preemptor.Spec.PriorityClassName = "high";
        await world.PodAsync(preemptor);

        var placed = await world.WaitScheduledAsync(preemptor);
        Assert.Equal("n1", placed.Spec.NodeName);
        var preempted = (await world.EventsAsync(cheap, "Preempted"))[0];
        Assert.Equal($"Preempted by pod {placed.Metadata.Uid} on node n1", preempted.Message);
        Assert.DoesNotContain((await world.Client.CoreV1.ListNamespacedPodAsync(ns)).Items, p => p.Metadata.Name == "cheap");
        Assert.Equal("n2", (await world.Client.CoreV1.ReadNamespacedPodAsync(dear.Metadata.Name, ns)).Spec.NodeName);
    }
}
