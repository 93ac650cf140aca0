using Flotilla.Scheduler.Tests.Testing;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Integration;

/// <summary>A pod that fits nowhere reports why, as kube-scheduler words it, and is scheduled once a node that fits appears.</summary>
public sealed class UnschedulableTests(SchedulerWorld world) : IClassFixture<SchedulerWorld>
{
    [Fact]
    public async Task PodThatFitsNowhere_ReportsWhy_ThenLandsOnANewNode()
    {
        var ns = await world.NamespaceAsync("waiting");
        foreach (var (name, cpu, cordoned) in new[] { ("cordoned", "8", true), ("tiny-1", "1", false), ("tiny-2", "1", false) })
        {
            var node = Make.Node(name, cpu: cpu, unschedulable: cordoned);
            node.Metadata.Uid = null;
            await world.NodeAsync(node);
        }

        var pod = Make.Pod("hungry", cpu: "2", ns: ns);
        pod.Metadata.Uid = null;
        pod.Status = null;
        await world.PodAsync(pod);

        // As kube-scheduler v1.32 words it, preemption's verdict included.
        const string Why = "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
        var waiting = await world.WaitAsync(pod, p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true, "no PodScheduled=False");
        var condition = waiting.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("Unschedulable", Why), (condition.Reason, condition.Message));
        var failed = (await world.EventsAsync(pod, "FailedScheduling"))[0];
        Assert.Equal(("Warning", Why), (failed.Type, failed.Message));

        var roomy = Make.Node("roomy", cpu: "4");
        roomy.Metadata.Uid = null;
        await world.NodeAsync(roomy);
        Assert.Equal("roomy", (await world.WaitScheduledAsync(pod)).Spec.NodeName);
    }
}
