using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

/// <summary>Upstream's predicateAdmitHandler: the first failing check, with its reason and message.</summary>
public sealed class PodAdmissionTests
{
    private static readonly V1Node Node = new()
    {
        Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "n1", ["disk"] = "ssd" } },
        Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("1Gi"), ["pods"] = new("2") } },
    };

    private static V1Pod Pod(string cpu = "100m", string memory = "64Mi", int hostPort = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p" },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "a",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } },
                    Ports = hostPort == 0 ? null : [new V1ContainerPort { ContainerPort = 80, HostPort = hostPort }],
                },
            ],
        },
    };

    [Fact]
    public void APodThatFits_IsAdmitted() => Assert.Null(PodAdmission.Check(Pod(), [Pod()], Node));

    [Fact]
    public void ThePodCount_IsCheckedFirst() =>
        Assert.Equal(new PodAdmission.Rejection("OutOfpods", "Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2"), PodAdmission.Check(Pod(cpu: "3"), [Pod(), Pod()], Node));

    [Fact]
    public void Memory_IsCountedInBytes_AgainstWhatOthersUse() =>
        Assert.Equal(new PodAdmission.Rejection("OutOfmemory", "Node didn't have enough resource: memory, requested: 805306368, used: 536870912, capacity: 1073741824"), PodAdmission.Check(Pod(memory: "768Mi"), [Pod(memory: "512Mi")], Node));

    [Fact]
    public void ATakenHostPort_IsRefused() =>
        Assert.Equal("NodePorts", PodAdmission.Check(Pod(hostPort: 8080), [Pod(hostPort: 8080)], Node)?.Reason);

    [Fact]
    public void AnUntoleratedNoExecuteTaint_IsRefused_ButNoScheduleIsNot()
    {
        var tainted = new V1Node { Metadata = Node.Metadata, Status = Node.Status, Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "k", Effect = "NoSchedule" }] } };
        Assert.Null(PodAdmission.Check(Pod(), [], tainted));

        tainted.Spec.Taints.Add(new V1Taint { Key = "gone", Effect = "NoExecute" });
        Assert.Equal("TaintToleration", PodAdmission.Check(Pod(), [], tainted)?.Reason);
        var tolerant = Pod();
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "gone", OperatorProperty = "Exists" }];
        Assert.Null(PodAdmission.Check(tolerant, [], tainted));
    }
}
