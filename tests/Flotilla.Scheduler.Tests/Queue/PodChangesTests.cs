using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Queue;

public sealed class PodChangesTests
{
    public static TheoryData<string, Action<V1Pod>, bool> Updates => new()
    {
        { "nothing", _ => { }, false },
        { "resourceVersion", p => p.Metadata.ResourceVersion = "7", false },
        { "generation", p => p.Metadata.Generation = 3, false },
        { "finalizers", p => p.Metadata.Finalizers = ["example.com/f"], false },
        { "managedFields", p => p.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }], false },
        { "status", p => { p.Status.Phase = "Failed"; p.Status.NominatedNodeName = "n1"; }, false },
        { "labels", p => p.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" }, true },
        { "annotations", p => p.Metadata.Annotations = new Dictionary<string, string> { ["a"] = "b" }, true },
        { "tolerations", p => p.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }], true },
        { "resource claim statuses", p => p.Status.ResourceClaimStatuses = [new V1PodResourceClaimStatus { Name = "c", ResourceClaimName = "rc" }], true },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void IsPodUpdated_IgnoresStatusAndBookkeeping(string change, Action<V1Pod> mutate, bool expected)
    {
        var old = Make.Pod("p", cpu: "1");
        var updated = SchedulingQueueTests.Clone(old);
        mutate(updated);

        Assert.True(expected == PodChanges.IsPodUpdated(old, updated), change);
    }

    [Fact]
    public void SchedulingPropertiesChange_NamesEachChange()
    {
        var old = Make.Pod("p", cpu: "2");
        old.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "g" }];
        var updated = Make.Pod("p", cpu: "1", labels: new Dictionary<string, string> { ["a"] = "b" }, tolerations: [new V1Toleration { OperatorProperty = "Exists" }]);

        var events = PodChanges.SchedulingPropertiesChange(updated, old);

        Assert.Equal(
            [
                new ClusterEvent(EventResource.Pod, ActionType.UpdatePodLabel),
                new ClusterEvent(EventResource.Pod, ActionType.UpdatePodScaleDown),
                new ClusterEvent(EventResource.Pod, ActionType.UpdatePodSchedulingGatesEliminated),
                new ClusterEvent(EventResource.Pod, ActionType.UpdatePodTolerations),
            ],
            events);
    }

    [Fact]
    public void SchedulingPropertiesChange_BoundPod_NothingSpecific_IsGenericAssignedPodUpdate()
    {
        var old = Make.Pod("p", nodeName: "n1");
        var updated = Make.Pod("p", cpu: "1", nodeName: "n1");

        Assert.Equal([new ClusterEvent(EventResource.AssignedPod, ActionType.UpdatePodGeneric)], PodChanges.SchedulingPropertiesChange(updated, old));
    }
}
