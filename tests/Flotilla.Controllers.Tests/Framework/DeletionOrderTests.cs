using Flotilla.Controllers.Framework;
using Flotilla.Controllers.Tests.Testing;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Framework;

/// <summary>Upstream's ActivePodsWithRanks cases: for each pair, the first pod goes before the second.</summary>
public sealed class DeletionOrderTests
{
    public static TheoryData<string, V1Pod, V1Pod> Pairs() => new()
    {
        { "unscheduled before scheduled", Make.Pod("a"), Make.Pod("b", node: "n") },
        { "pending before unknown", Make.Pod("a", node: "n"), Make.Pod("b", node: "n", phase: "Unknown") },
        { "unknown before running", Make.Pod("a", node: "n", phase: "Unknown"), Make.Pod("b", node: "n", phase: "Running") },
        { "not ready before ready", Make.Pod("a", node: "n", phase: "Running"), Make.Pod("b", node: "n", phase: "Running", ready: true) },
        { "lower deletion cost first", Cost(Make.Pod("a", node: "n", phase: "Running", ready: true), "-5"), Cost(Make.Pod("b", node: "n", phase: "Running", ready: true), "10") },
        { "ready for less time first", Make.Pod("a", node: "n", phase: "Running", ready: true, readySince: Make.Now.AddMinutes(-1)), Make.Pod("b", node: "n", phase: "Running", ready: true, readySince: Make.Now.AddHours(-1)) },
        { "more restarts first", Restarts(Make.Pod("a", node: "n", phase: "Running"), 5), Restarts(Make.Pod("b", node: "n", phase: "Running"), 1) },
        { "newer first", Make.Pod("a", node: "n", created: Make.Now.AddMinutes(-1)), Make.Pod("b", node: "n", created: Make.Now.AddHours(-1)) },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void FirstGoesBeforeSecond(string why, V1Pod first, V1Pod second)
    {
        var order = new DeletionOrder(new Dictionary<V1Pod, int>(), Make.Now);
        Assert.True(order.Compare(first, second) < 0, why);
        Assert.True(order.Compare(second, first) > 0, why);
    }

    [Fact]
    public void AgesInTheSamePowerOfTwo_AreOrderedByUid_NotByAge()
    {
        // 100 s and 110 s old: the same log2 bucket of nanoseconds, so the older "a" may go first (smaller UID).
        var order = new DeletionOrder(new Dictionary<V1Pod, int>(), Make.Now);
        var older = Make.Pod("a", node: "n", created: Make.Now.AddSeconds(-110));
        var newer = Make.Pod("b", node: "n", created: Make.Now.AddSeconds(-100));

        Assert.True(order.Compare(older, newer) < 0);
    }

    [Fact]
    public void PodsDoubledUpOnANode_GoFirst()
    {
        var lonely = Make.Pod("lonely", node: "n1", phase: "Running", ready: true);
        var crowded = Make.Pod("crowded", node: "n2", phase: "Running", ready: true);
        var related = new[] { lonely, crowded, Make.Pod("sibling", node: "n2", phase: "Running", ready: true) };

        var victims = DeletionOrder.PodsToDelete([lonely, crowded], related, 1, Make.Now);

        Assert.Equal("crowded", Assert.Single(victims).Metadata.Name);
    }

    private static V1Pod Cost(V1Pod pod, string cost)
    {
        pod.Metadata.Annotations = new Dictionary<string, string> { [DeletionOrder.DeletionCostAnnotation] = cost };
        return pod;
    }

    private static V1Pod Restarts(V1Pod pod, int restarts)
    {
        pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "c", RestartCount = restarts, Image = "i", ImageID = "i", Ready = false }];
        return pod;
    }
}
