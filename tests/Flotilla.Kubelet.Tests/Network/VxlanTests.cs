using System.Text.Json.Nodes;
using Flotilla.Kubelet.Network;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Network;

/// <summary>flannel's vxlan backend: which nodes are peers, what they publish, and the iproute2 output read back.</summary>
public sealed class VxlanTests
{
    [Fact]
    public void Peers_AreTheOtherNodesThatPublishedAVtep_WithTheirSubnetsFirstAddress()
    {
        var leaving = Node("gone", "10.42.5.0/24", "10.44.0.9", "aa:00:00:00:00:09");
        leaving.Metadata.DeletionTimestamp = DateTime.UtcNow;
        V1Node[] nodes =
        [
            Node("me", "10.42.0.0/24", "10.44.0.2", "aa:00:00:00:00:02"),
            Node("b", "10.42.1.0/24", "10.44.0.3", "aa:00:00:00:00:03"),
            Node("unpublished", "10.42.2.0/24", "10.44.0.4", null),
            Node("nocidr", null, "10.44.0.5", "aa:00:00:00:00:05"),
            Node("garbled", "10.42.3.0/24", "10.44.0.6", "aa:00:00:00:00:06", data: "{not json"),
            leaving,
        ];

        Assert.Equal([new VxlanPeer("10.42.1.0/24", "10.42.1.0", "aa:00:00:00:00:03", "10.44.0.3")], NodeRoutes.Peers(nodes, "me"));
    }

    [Fact]
    public void BackendData_IsFlannels()
    {
        var data = JsonNode.Parse(NodeRoutes.BackendData("aa:bb:cc:dd:ee:ff"))!;

        Assert.Equal(1, (int)data["VNI"]!);
        Assert.Equal("aa:bb:cc:dd:ee:ff", (string)data["VtepMAC"]!);
        Assert.Equal("10.42.7.0", VxlanDevice.VtepAddress("10.42.7.0/24"));
    }

    [Fact]
    public void IpRoute2Output_IsRead()
    {
        Assert.Equal("0a:1b:2c:3d:4e:5f", VxlanDevice.Mac("12: flotilla.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/ether 0a:1b:2c:3d:4e:5f brd ff:ff:ff:ff:ff:ff"));
        Assert.Throws<NetworkSetupException>(() => VxlanDevice.Mac("12: flotilla.1: <NOARP> mtu 1450"));
        Assert.Equal([("10.42.1.0", "aa:00:00:00:00:03"), ("10.42.2.0", "")], VxlanDevice.Neighbours("10.42.1.0 lladdr aa:00:00:00:00:03 PERMANENT\n10.42.2.0 FAILED\n"));
        Assert.Equal([("aa:00:00:00:00:03", "10.44.0.3")], VxlanDevice.Forwarding("aa:00:00:00:00:03 dst 10.44.0.3 self permanent\n0a:1b:2c:3d:4e:5f master flotilla.1 permanent\n"));
    }

    [Fact]
    public void CniConfig_SetsTheMtu_OnlyWhenGiven()
    {
        var plain = JsonNode.Parse(new CniConfig("flotilla0", "10.42.0.0/24", "/tmp/ipam").ToJson())!;
        var vxlan = JsonNode.Parse(new CniConfig("flotilla0", "10.42.0.0/24", "/tmp/ipam", VxlanDevice.Mtu).ToJson())!;

        Assert.Null(plain["plugins"]![0]!["mtu"]);
        Assert.Equal(1450, (int)vxlan["plugins"]![0]!["mtu"]!);
    }

    private static V1Node Node(string name, string? cidr, string ip, string? mac, string? data = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = mac is null ? null : new Dictionary<string, string>
            {
                [NodeRoutes.BackendTypeAnnotation] = NodeRoutes.Vxlan,
                [NodeRoutes.BackendDataAnnotation] = data ?? NodeRoutes.BackendData(mac),
                [NodeRoutes.PublicIpAnnotation] = ip,
            },
        },
        Spec = new V1NodeSpec { PodCIDR = cidr },
        Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }] },
    };
}
