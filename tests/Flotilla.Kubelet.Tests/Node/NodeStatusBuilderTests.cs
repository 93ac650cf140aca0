using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Node;

public sealed class NodeStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly KubeletOptions Options = new() { NodeName = "n1", InternalIp = "10.0.0.5" };
    private static readonly RuntimeVersion Version = new("hollow", "0.1.0");

    [Fact]
    public void AReadyRuntime_MakesAReadyNode_WithUpstreamsConditionsAndFacts()
    {
        var status = NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(true, true), [], null, Now);

        Assert.Equal(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"], status.Conditions.Select(c => c.Type));
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("True", "KubeletReady", "kubelet is posting ready status"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal(("False", "KubeletHasSufficientMemory"), (status.Conditions[0].Status, status.Conditions[0].Reason));
        Assert.Equal("110", status.Capacity["pods"].ToString());
        Assert.Equal(status.Capacity["cpu"], status.Allocatable["cpu"]);
        Assert.Equal([("InternalIP", "10.0.0.5"), ("Hostname", "n1")], status.Addresses.Select(a => (a.Type, a.Address)));
        Assert.Equal("hollow://0.1.0", status.NodeInfo.ContainerRuntimeVersion);
        Assert.StartsWith("v1.32.0-flotilla.", status.NodeInfo.KubeletVersion, StringComparison.Ordinal);
        Assert.Equal(32, status.NodeInfo.MachineID.Length);
        Assert.Equal(NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(true, true), [], null, Now).NodeInfo.SystemUUID, status.NodeInfo.SystemUUID);
    }

    [Fact]
    public void ARuntimeOrNetworkNotReady_MakesANotReadyNode_SayingWhy()
    {
        var down = NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(false, false, "ContainerdDown", "no socket"), [], null, Now).Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "KubeletNotReady"), (down.Status, down.Reason));
        Assert.Contains("container runtime is down", down.Message, StringComparison.Ordinal);

        var network = NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(true, false, "NetworkPluginNotReady", "cni config uninitialized"), [], null, Now).Conditions.Single(c => c.Type == "Ready");
        Assert.Equal("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:cni config uninitialized", network.Message);
    }

    [Fact]
    public void Transitions_AreKeptWhileAStatusHolds_HeartbeatsAlwaysMove()
    {
        var first = NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(true, true), [], null, Now);
        var later = NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(true, true), [], first.Conditions, Now.AddMinutes(1));
        var ready = later.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(Now.UtcDateTime, ready.LastTransitionTime);
        Assert.Equal(Now.AddMinutes(1).UtcDateTime, ready.LastHeartbeatTime);
        Assert.True(NodeStatusBuilder.SameIgnoringHeartbeats(first, later));

        var down = NodeStatusBuilder.Status(Options, Version, new RuntimeStatus(false, true, "x", "y"), [], later.Conditions, Now.AddMinutes(2));
        Assert.Equal(Now.AddMinutes(2).UtcDateTime, down.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.False(NodeStatusBuilder.SameIgnoringHeartbeats(later, down));
    }

    [Fact]
    public void TheInitialNode_CarriesTheWellKnownLabels_AndTheCallersOwn()
    {
        var node = NodeStatusBuilder.InitialNode(Options with { Labels = new Dictionary<string, string> { ["flotilla.dev/runtime"] = "hollow" } });

        Assert.Equal("n1", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        Assert.Equal("hollow", node.Metadata.Labels["flotilla.dev/runtime"]);
        Assert.Equal("true", node.Metadata.Annotations["volumes.kubernetes.io/controller-managed-attach-detach"]);
        Assert.False(node.Metadata.Annotations.ContainsKey("flotilla.dev/local-storage-path"));
    }

    [Fact]
    public void TheInitialNode_SaysWhereItsLocalVolumesLive_WhenTold()
    {
        var node = NodeStatusBuilder.InitialNode(Options with { LocalStoragePath = "/var/lib/flotilla/storage" });
        Assert.Equal("/var/lib/flotilla/storage", node.Metadata.Annotations["flotilla.dev/local-storage-path"]);
    }
}
