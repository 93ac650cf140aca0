using Flotilla.Kubelet.Network;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Network;

public sealed class NodeRoutesTests
{
    [Fact]
    public void Wanted_EveryOtherNodesSubnet_ViaItsInternalIp()
    {
        V1Node[] nodes = [Node("a", "10.42.0.0/24", "10.44.0.2"), Node("b", "10.42.1.0/24", "10.44.0.3"), Node("c", "10.42.2.0/24", "10.44.0.4")];

        var wanted = NodeRoutes.Wanted(nodes, "a");

        Assert.Equal(new Dictionary<string, string> { ["10.42.1.0/24"] = "10.44.0.3", ["10.42.2.0/24"] = "10.44.0.4" }, wanted);
        Assert.Equal(3, NodeRoutes.Wanted(nodes, null).Count);
    }

    [Fact]
    public void Wanted_SkipsNodesWithoutSubnetOrAddress_OnLoopback_OnOurAddress_OrBeingDeleted()
    {
        var leaving = Node("gone", "10.42.5.0/24", "10.44.0.9");
        leaving.Metadata.DeletionTimestamp = DateTime.UtcNow;
        V1Node[] nodes =
        [
            Node("me", "10.42.0.0/24", "10.44.0.2"),
            Node("nocidr", null, "10.44.0.5"),
            Node("noip", "10.42.3.0/24", null),
            Node("hollow", "10.42.4.0/24", "127.0.0.1"),
            Node("twin", "10.42.6.0/24", "10.44.0.2"),
            leaving,
        ];

        Assert.Empty(NodeRoutes.Wanted(nodes, "me"));
    }

    [Fact]
    public void Parse_ReadsIpRouteShow()
    {
        const string Output = "10.42.0.0/24 via 10.44.0.4 dev flotilla-br proto 144 \n10.42.1.0/24 via 10.42.1.0 dev flotilla.1 proto 144 onlink \n\nblackhole 10.9.0.0/16 proto 144\n";

        Assert.Equal(
            new Dictionary<string, NodeRoute> { ["10.42.0.0/24"] = new("10.44.0.4", "flotilla-br"), ["10.42.1.0/24"] = new("10.42.1.0", "flotilla.1") },
            NodeRoutes.Parse(Output));
    }

    private static V1Node Node(string name, string? cidr, string? ip) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { PodCIDR = cidr },
        Status = new V1NodeStatus { Addresses = ip is null ? [new V1NodeAddress { Type = "Hostname", Address = name }] : [new V1NodeAddress { Type = "InternalIP", Address = ip }] },
    };
}
