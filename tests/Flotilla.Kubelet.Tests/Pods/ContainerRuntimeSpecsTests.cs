using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class ContainerRuntimeSpecsTests
{
    private static V1Container Container(string? cpuRequest = null, string? cpuLimit = null, string? memRequest = null, string? memLimit = null)
    {
        Dictionary<string, ResourceQuantity>? List(params (string Name, string? Value)[] items) =>
            items.Any(i => i.Value is not null) ? items.Where(i => i.Value is not null).ToDictionary(i => i.Name, i => new ResourceQuantity(i.Value)) : null;
        return new V1Container { Name = "app", Resources = new V1ResourceRequirements { Requests = List(("cpu", cpuRequest), ("memory", memRequest)), Limits = List(("cpu", cpuLimit), ("memory", memLimit)) } };
    }

    private static V1Pod Pod(V1Container container, V1PodSecurityContext? security = null) =>
        new() { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "u1" }, Spec = new V1PodSpec { Containers = [container], SecurityContext = security } };

    [Theory]
    [InlineData("250m", "500m", 256, 50_000)]
    [InlineData(null, "2", 2048, 200_000)]   // the request defaults to the limit
    [InlineData("1m", null, 2, 0)]           // at least 2 shares; no limit, no quota
    [InlineData(null, "1m", 2, 1000)]        // the smallest quota is 1 ms
    public void Cpu_SharesFromTheRequest_QuotaFromTheLimit(string? request, string? limit, long shares, long quota)
    {
        var resources = ContainerRuntimeSpecs.Resources(Pod(Container(request, limit)), Container(request, limit), 16L << 30);
        Assert.Equal((shares, quota, 100_000L), (resources.CpuShares, resources.CpuQuota, resources.CpuPeriod));
    }

    [Fact]
    public void OomScore_AndCgroupParent_FollowTheQosClass()
    {
        var guaranteed = Container("1", "1", "1Gi", "1Gi");
        var burstable = Container(memRequest: "4Gi", memLimit: "8Gi");
        var bestEffort = Container();
        const decimal capacity = 16L << 30;
        Assert.Equal((-997L, "/kubepods/podu1"), (ContainerRuntimeSpecs.OomScoreAdj(Pod(guaranteed), guaranteed, capacity), ContainerRuntimeSpecs.CgroupParent(Pod(guaranteed))));
        Assert.Equal((750L, "/kubepods/burstable/podu1"), (ContainerRuntimeSpecs.OomScoreAdj(Pod(burstable), burstable, capacity), ContainerRuntimeSpecs.CgroupParent(Pod(burstable))));
        Assert.Equal((1000L, "/kubepods/besteffort/podu1"), (ContainerRuntimeSpecs.OomScoreAdj(Pod(bestEffort), bestEffort, capacity), ContainerRuntimeSpecs.CgroupParent(Pod(bestEffort))));
        Assert.Equal(67_108_864L, ContainerRuntimeSpecs.Resources(Pod(Container(memLimit: "64Mi")), Container(memLimit: "64Mi"), capacity).MemoryLimitBytes);
    }

    [Fact]
    public void Security_TheContainersOverThePods_FsGroupJoinsTheGroups_DefaultPathsMasked()
    {
        var container = Container();
        container.SecurityContext = new V1SecurityContext { RunAsUser = 7, AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } };
        var pod = Pod(container, new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 3000, FsGroup = 2000, SupplementalGroups = [4000], SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } });
        var security = ContainerRuntimeSpecs.Security(pod, container);
        Assert.Equal((7L, 3000L, true, true, "RuntimeDefault"), (security.RunAsUser, security.RunAsGroup, security.NoNewPrivileges, security.ReadOnlyRootFilesystem, security.Seccomp));
        Assert.Equal([4000L, 2000L], security.SupplementalGroups);
        Assert.Equal(["ALL"], security.DropCapabilities);
        Assert.Contains("/proc/kcore", security.MaskedPaths);
        Assert.Contains("/proc/sys", security.ReadOnlyPaths);

        container.SecurityContext = new V1SecurityContext { Privileged = true };
        var privileged = ContainerRuntimeSpecs.Security(Pod(container), container);
        Assert.Equal((true, "Unconfined"), (privileged.Privileged, privileged.Seccomp));
        Assert.Empty(privileged.MaskedPaths);
    }

    [Fact]
    public void RunAsNonRoot_RefusesRoot_AsUpstreamSaysIt()
    {
        var container = Container();
        var pod = Pod(container, new V1PodSecurityContext { RunAsNonRoot = true });
        Assert.Equal("container has runAsNonRoot and image will run as root (pod: \"p_ns(u1)\", container: app)", ContainerRuntimeSpecs.NonRootViolation(pod, container, null, null));
        Assert.Null(ContainerRuntimeSpecs.NonRootViolation(pod, container, 1000, null));
        Assert.Equal("container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: \"p_ns(u1)\", container: app)", ContainerRuntimeSpecs.NonRootViolation(pod, container, null, "nobody"));
        container.SecurityContext = new V1SecurityContext { RunAsUser = 0 };
        Assert.Equal("container's runAsUser breaks non-root policy (pod: \"p_ns(u1)\", container: app)", ContainerRuntimeSpecs.NonRootViolation(pod, container, 1000, null));
        Assert.Null(ContainerRuntimeSpecs.NonRootViolation(Pod(Container()), Container(), 0, null));
    }
}
