using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeUnschedulable;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.NodeUnschedulable;

public class NodeUnschedulableTests
{
    public static TheoryData<string, bool, V1Toleration[]?, StatusCode> Cases => new()
    {
        // Upstream node_unschedulable_test.go.
        { "does not schedule pod to unschedulable node", true, null, StatusCode.UnschedulableAndUnresolvable },
        { "schedules pod to normal node", false, null, StatusCode.Success },
        { "schedules pod tolerating the unschedulable taint", true, [new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }], StatusCode.Success },
        { "toleration of everything", true, [new() { OperatorProperty = "Exists" }], StatusCode.Success },
        { "toleration for another effect", true, [new() { Key = "node.kubernetes.io/unschedulable", OperatorProperty = "Exists", Effect = "NoExecute" }], StatusCode.UnschedulableAndUnresolvable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_UnschedulableNode_RejectsUnlessTolerated(string name, bool unschedulable, V1Toleration[]? tolerations, StatusCode expected)
    {
        var pod = Make.Pod("p", tolerations: tolerations);
        var node = Nodes.Info(Make.Node("n1", unschedulable: unschedulable));

        var status = new NodeUnschedulablePlugin().Filter(new CycleState(), pod, node);

        Assert.True(expected == status.Code, $"{name}: {status}");
        Assert.Equal(expected == StatusCode.Success ? [] : ["node(s) were unschedulable"], status.Reasons);
    }
}
