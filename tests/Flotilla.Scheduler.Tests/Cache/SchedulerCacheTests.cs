using Flotilla.Scheduler.Cache;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Cache;

public sealed class SchedulerCacheTests
{
    private static V1Pod On(V1Pod pod, string node)
    {
        pod.Spec.NodeName = node;
        return pod;
    }

    [Fact]
    public void AssumedPod_CountsOnItsNode_UntilForgotten()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Make.Node("n1", cpu: "2"));
        var snapshot = new Snapshot();
        var pod = On(Make.Pod("p", cpu: "1500m"), "n1");
        cache.AssumePod(new PodInfo(pod));
        Assert.True(cache.IsAssumed(pod));

        cache.UpdateSnapshot(snapshot);
        Assert.Equal(1500, snapshot.Get("n1")!.Requested.MilliCpu);

        cache.ForgetPod(pod);
        cache.UpdateSnapshot(snapshot);
        Assert.Equal(0, snapshot.Get("n1")!.Requested.MilliCpu);
        Assert.False(cache.IsAssumed(pod));
    }

    [Fact]
    public void InformerAdd_ConfirmsAnAssumedPod_WithoutCountingItTwice()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Make.Node("n1"));
        var pod = On(Make.Pod("p", cpu: "1"), "n1");
        cache.AssumePod(new PodInfo(pod));
        cache.AddPod(pod);
        Assert.False(cache.IsAssumed(pod));

        var snapshot = new Snapshot();
        cache.UpdateSnapshot(snapshot);
        Assert.Single(snapshot.Get("n1")!.Pods);
        Assert.Equal(1000, snapshot.Get("n1")!.Requested.MilliCpu);
        cache.ForgetPod(pod);
        cache.UpdateSnapshot(snapshot);
        Assert.Single(snapshot.Get("n1")!.Pods);
    }

    [Fact]
    public void Snapshot_CopiesOnlyChangedNodes_AndFollowsNodeRemoval()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Make.Node("a"));
        cache.AddOrUpdateNode(Make.Node("b"));
        var snapshot = new Snapshot();
        cache.UpdateSnapshot(snapshot);
        var a = snapshot.Get("a");
        var b = snapshot.Get("b");

        cache.AddPod(On(Make.Pod("p", cpu: "1"), "b"));
        cache.UpdateSnapshot(snapshot);
        Assert.Same(a, snapshot.Get("a"));
        Assert.NotSame(b, snapshot.Get("b"));
        Assert.Same(snapshot.Get("b"), snapshot.List().Single(n => n.Name == "b"));
        Assert.Empty(b!.Pods);

        cache.RemoveNode(Make.Node("a"));
        cache.UpdateSnapshot(snapshot);
        Assert.Equal(["b"], snapshot.List().Select(n => n.Name));
        Assert.Null(snapshot.Get("a"));
    }

    [Fact]
    public void Snapshot_ListsNodesWithAffinityPods()
    {
        var cache = new SchedulerCache();
        cache.AddOrUpdateNode(Make.Node("a"));
        cache.AddOrUpdateNode(Make.Node("b"));
        var affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector() }],
            },
        };
        var snapshot = new Snapshot();
        cache.UpdateSnapshot(snapshot);
        cache.AddPod(On(Make.Pod("p", affinity: affinity), "a"));
        cache.UpdateSnapshot(snapshot);
        Assert.Equal("a", Assert.Single(snapshot.HavePodsWithRequiredAntiAffinity()).Name);
        Assert.Equal("a", Assert.Single(snapshot.HavePodsWithAffinity()).Name);
    }

    [Fact]
    public void Images_AreSummarisedWithTheNumberOfNodesHoldingThem()
    {
        var cache = new SchedulerCache();
        V1ContainerImage Image(string name) => new() { Names = [name], SizeBytes = 100 };
        cache.AddOrUpdateNode(Make.Node("a", images: [Image("busybox:1.35")]));
        cache.AddOrUpdateNode(Make.Node("b", images: [Image("busybox:1.35"), Image("pause:3.10")]));
        var snapshot = new Snapshot();
        cache.UpdateSnapshot(snapshot);
        Assert.Equal(new ImageStateSummary(100, 2), snapshot.Get("a")!.ImageStates["docker.io/library/busybox:1.35"]);
        Assert.Equal(new ImageStateSummary(100, 1), snapshot.Get("b")!.ImageStates["docker.io/library/pause:3.10"]);
    }
}
