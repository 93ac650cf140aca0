using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Queue;

/// <summary>The queue's nominator (upstream TestPriorityQueue_NominatedPodsForNode / UpdateNominatedPodForNode).</summary>
public sealed class NominatorTests : IAsyncLifetime
{
    private readonly QueueHarness _h = new();

    private SchedulingQueue Queue => _h.Queue;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void Add_WithNominatedNodeName_Nominates()
    {
        var pod = Nominated(Make.Pod("p"), "n1");

        Queue.Add(pod);

        Assert.Equal(["default/p"], Keys("n1"));
        Assert.Empty(Keys("n2"));
    }

    [Fact]
    public void Update_NominationChanged_Follows()
    {
        var pod = Nominated(Make.Pod("p"), "n1");
        Queue.Add(pod);

        var moved = Nominated(SchedulingQueueTests.Clone(pod), "n2");
        Queue.Update(pod, moved);

        Assert.Empty(Keys("n1"));
        Assert.Equal(["default/p"], Keys("n2"));
        Assert.Same(moved, Queue.NominatedPodsForNode("n2").Single().Pod);
    }

    [Fact]
    public void Update_WithoutNomination_KeepsTheOneMadeInMemory()
    {
        // Preemption nominates before the API shows it; an unrelated update must not drop the reservation.
        var pod = Make.Pod("p");
        Queue.Add(pod);
        Queue.AddNominatedPod(new PodInfo(pod), "n1");

        var relabelled = SchedulingQueueTests.Clone(pod);
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        Queue.Update(pod, relabelled);

        Assert.Same(relabelled, Queue.NominatedPodsForNode("n1").Single().Pod);
    }

    [Fact]
    public void Update_NominationRemoved_Clears()
    {
        var pod = Nominated(Make.Pod("p"), "n1");
        Queue.Add(pod);

        var cleared = SchedulingQueueTests.Clone(pod);
        cleared.Status.NominatedNodeName = null;
        Queue.Update(pod, cleared);

        Assert.Empty(Keys("n1"));
    }

    [Fact]
    public void AddNominatedPod_EmptyNode_Clears_AndReplacesEarlier()
    {
        var pod = Make.Pod("p");
        Queue.AddNominatedPod(new PodInfo(pod), "n1");
        Queue.AddNominatedPod(new PodInfo(pod), "n2");
        Assert.Empty(Keys("n1"));
        Assert.Equal(["default/p"], Keys("n2"));

        Queue.AddNominatedPod(new PodInfo(pod), string.Empty);

        Assert.Empty(Keys("n2"));
    }

    [Fact]
    public void DeleteNominatedPodIfExists_And_Delete_Remove()
    {
        var a = Nominated(Make.Pod("a"), "n1");
        var b = Nominated(Make.Pod("b"), "n1");
        Queue.Add(a);
        Queue.Add(b);

        Queue.DeleteNominatedPodIfExists(a);
        Assert.Equal(["default/b"], Keys("n1"));

        Queue.Delete(b);
        Assert.Empty(Keys("n1"));
    }

    private List<string> Keys(string node) => [.. Queue.NominatedPodsForNode(node).Select(p => p.Key).Order()];

    private static V1Pod Nominated(V1Pod pod, string node)
    {
        pod.Status.NominatedNodeName = node;
        return pod;
    }
}
