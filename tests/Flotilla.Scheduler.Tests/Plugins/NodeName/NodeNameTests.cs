using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeName;
using Flotilla.Scheduler.Tests.Testing;

namespace Flotilla.Scheduler.Tests.Plugins.NodeName;

public class NodeNameTests
{
    // Upstream node_name_test.go.
    [Theory]
    [InlineData(null, "foo", StatusCode.Success)]
    [InlineData("foo", "foo", StatusCode.Success)]
    [InlineData("bar", "foo", StatusCode.UnschedulableAndUnresolvable)]
    public void Filter_RequestedNodeName_MatchesOnlyThatNode(string? wanted, string node, StatusCode expected)
    {
        var pod = Make.Pod("p");
        pod.Spec.NodeName = wanted;

        var status = new NodeNamePlugin().Filter(new CycleState(), pod, Nodes.Info(Make.Node(node)));

        Assert.Equal(expected, status.Code);
        Assert.Equal(expected == StatusCode.Success ? [] : ["node(s) didn't match the requested node name"], status.Reasons);
    }
}
