using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodePorts;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.NodePorts;

public class NodePortsTests
{
    // Upstream node_ports_test.go TestNodePorts: ports as protocol/hostIP/hostPort.
    public static TheoryData<string, string[], string[], StatusCode> Cases => new()
    {
        { "other port", ["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/9090"], StatusCode.Success },
        { "same udp port", ["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], StatusCode.Unschedulable },
        { "same tcp port", ["TCP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], StatusCode.Unschedulable },
        { "different host ip", ["TCP/127.0.0.1/8080"], ["TCP/127.0.0.2/8080"], StatusCode.Success },
        { "different protocol", ["UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], StatusCode.Success },
        { "second udp port conflict", ["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], StatusCode.Unschedulable },
        { "first tcp port conflict", ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"], StatusCode.Unschedulable },
        { "first tcp port conflict due to 0.0.0.0 hostIP", ["TCP/0.0.0.0/8001"], ["TCP/127.0.0.1/8001"], StatusCode.Unschedulable },
        { "TCP hostPort conflict due to 0.0.0.0 hostIP", ["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"], ["TCP/127.0.0.1/8001"], StatusCode.Unschedulable },
        { "second tcp port conflict to 0.0.0.0 hostIP", ["TCP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], StatusCode.Unschedulable },
        { "second different protocol", ["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], StatusCode.Success },
        { "UDP hostPort conflict due to 0.0.0.0 hostIP", ["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"], StatusCode.Unschedulable },
        { "empty host IP is 0.0.0.0", ["TCP//8001"], ["TCP/127.0.0.1/8001"], StatusCode.Unschedulable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_HostPorts_ConflictAsUpstream(string name, string[] wanted, string[] used, StatusCode expected)
    {
        var plugin = new NodePortsPlugin();
        var state = new CycleState();
        var pod = PodWithPorts("wanted", wanted);
        var node = Nodes.Info(Make.Node("m1"), PodWithPorts("existing", used));

        var (result, preFilter) = plugin.PreFilter(state, pod, [node]);
        var status = plugin.Filter(state, pod, node);

        Assert.Null(result);
        Assert.Equal(StatusCode.Success, preFilter.Code);
        Assert.True(expected == status.Code, $"{name}: {status}");
        Assert.Equal(expected == StatusCode.Success ? [] : ["node(s) didn't have free ports for the requested pod ports"], status.Reasons);
    }

    [Fact]
    public void PreFilter_NoHostPorts_Skips()
    {
        var pod = PodWithPorts("p", []);
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80 }];

        var (_, status) = new NodePortsPlugin().PreFilter(new CycleState(), pod, []);

        Assert.Equal(StatusCode.Skip, status.Code);
    }

    [Fact]
    public void Filter_WithoutPreFilter_Errors()
    {
        var status = new NodePortsPlugin().Filter(new CycleState(), PodWithPorts("p", ["TCP//80"]), Nodes.Info(Make.Node("m1")));

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("reading \"PreFilterNodePorts\" from cycleState: not found", status.Message);
    }

    private static V1Pod PodWithPorts(string name, string[] ports)
    {
        var pod = Make.Pod(name);
        pod.Spec.Containers[0].Ports = [.. ports.Select(p => p.Split('/')).Select(p => new V1ContainerPort
        {
            ContainerPort = int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture),
            HostIP = p[1],
            HostPort = int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture),
            Protocol = p[0],
        })];
        return pod;
    }
}
