using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission.Quota;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class QuotaUsageTests
{
    private static ResourceInfo R(string group, string plural) => ResourceCatalog.Default.Resources.First(r => r.Group == group && r.Plural == plural && r.StoredAs is null);

    [Fact]
    public void Pod_CountsItselfAndItsCompute_UnlessFinished()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container { Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") }, Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") } } },
                    new V1Container { Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } } },
                ],
                InitContainers = [new V1Container { Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2") } } }],
            },
        };
        var usage = QuotaUsage.Of(R("", "pods"), pod);
        Assert.Equal(1, usage["pods"]);
        Assert.Equal(1, usage["count/pods"]);
        Assert.Equal(2m, usage["requests.cpu"]);
        Assert.Equal(2m, usage["cpu"]);
        Assert.Equal(1024m * 1024 * 1024, usage["limits.memory"]);

        pod.Status = new V1PodStatus { Phase = "Succeeded" };
        Assert.Empty(QuotaUsage.Of(R("", "pods"), pod));
    }

    [Theory]
    [InlineData("ClusterIP", null, 0, 0)]
    [InlineData("NodePort", null, 2, 0)]
    [InlineData("LoadBalancer", null, 2, 1)]
    [InlineData("LoadBalancer", false, 1, 1)]
    public void Service_CountsNodePortsAndLoadBalancers(string type, bool? allocate, int nodePorts, int loadBalancers)
    {
        var service = new V1Service { Spec = new V1ServiceSpec { Type = type, AllocateLoadBalancerNodePorts = allocate, Ports = [new V1ServicePort { Port = 80, NodePort = 30080 }, new V1ServicePort { Port = 81 }] } };
        var usage = QuotaUsage.Of(R("", "services"), service);
        Assert.Equal((nodePorts, loadBalancers), ((int)usage["services.nodeports"], (int)usage["services.loadbalancers"]));
    }

    [Fact]
    public void OtherKinds_CountAsCountResourceDotGroup()
    {
        Assert.Equal(1, QuotaUsage.Of(R("apps", "deployments"), new V1Deployment())["count/deployments.apps"]);
        var claim = new V1PersistentVolumeClaim { Spec = new V1PersistentVolumeClaimSpec { StorageClassName = "fast", Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } } } };
        var usage = QuotaUsage.Of(R("", "persistentvolumeclaims"), claim);
        Assert.Equal(1, usage["fast.storageclass.storage.k8s.io/persistentvolumeclaims"]);
        Assert.Equal(1024m * 1024 * 1024, usage["requests.storage"]);
    }
}
