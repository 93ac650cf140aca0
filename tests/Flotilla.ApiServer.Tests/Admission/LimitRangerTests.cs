using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class LimitRangerTests
{
    private static Dictionary<string, ResourceQuantity> Q(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => new ResourceQuantity(v.Value));

    private static V1Pod Pod(V1ResourceRequirements? app = null, V1ResourceRequirements? init = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec
        {
            InitContainers = [new V1Container { Name = "setup", Image = "busybox", Resources = init }],
            Containers = [new V1Container { Name = "app", Image = "busybox", Resources = app }],
        },
    };

    private static async Task<AdmissionWorld> WorldAsync(params V1LimitRangeItem[] items)
    {
        var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(new V1LimitRange { Metadata = new V1ObjectMeta { Name = "limits", NamespaceProperty = "team" }, Spec = new V1LimitRangeSpec { Limits = items } });
        return world;
    }

    private static async Task<StatusException> RefusedAsync(AdmissionWorld world, object obj)
    {
        var plugin = new LimitRanger(world.Lookup);
        return await Assert.ThrowsAsync<StatusException>(async () =>
            await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, (k8s.IKubernetesObject<V1ObjectMeta>)obj), CancellationToken.None));
    }

    [Fact]
    public async Task ContainerDefaults_FillWhatIsUnset_AndAreNotedInTheAnnotation()
    {
        await using var world = await WorldAsync(new V1LimitRangeItem
        {
            Type = "Container",
            DefaultProperty = Q(("cpu", "500m"), ("memory", "256Mi")),
            DefaultRequest = Q(("cpu", "100m"), ("memory", "128Mi")),
        });
        var pod = Pod(app: new V1ResourceRequirements { Limits = Q(("memory", "1Gi")), Requests = Q(("memory", "1Gi")) });
        await new LimitRanger(world.Lookup).AdmitAsync(world.Request(AdmissionOperation.Create, pod), CancellationToken.None);

        var app = pod.Spec.Containers[0].Resources;
        Assert.Equal(("500m", "1Gi", "100m", "1Gi"), (app.Limits["cpu"].ToString(), app.Limits["memory"].ToString(), app.Requests["cpu"].ToString(), app.Requests["memory"].ToString()));
        Assert.Equal("128Mi", pod.Spec.InitContainers[0].Resources.Requests["memory"].ToString());
        Assert.Equal(
            "LimitRanger plugin set: cpu request for container app; cpu limit for container app; cpu, memory request for init container setup; cpu, memory limit for init container setup",
            pod.Metadata.Annotations[LimitRanger.Annotation]);
    }

    [Fact]
    public async Task ContainerMinMaxAndRatio_AreEnforced_WithUpstreamsMessages()
    {
        await using var world = await WorldAsync(new V1LimitRangeItem
        {
            Type = "Container",
            Min = Q(("memory", "64Mi")),
            Max = Q(("cpu", "1")),
            MaxLimitRequestRatio = Q(("cpu", "2")),
        });

        var tooBig = Pod(app: new V1ResourceRequirements { Limits = Q(("cpu", "2")), Requests = Q(("cpu", "2"), ("memory", "128Mi")) }, init: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "1"), ("memory", "64Mi")) });
        Assert.Equal("pods \"p\" is forbidden: maximum cpu usage per Container is 1, but limit is 2", (await RefusedAsync(world, tooBig)).Message);

        var ratio = Pod(app: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "250m"), ("memory", "64Mi")) }, init: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "1"), ("memory", "64Mi")) });
        Assert.Equal("pods \"p\" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000", (await RefusedAsync(world, ratio)).Message);

        var several = Pod(app: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "1"), ("memory", "32Mi")) }, init: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "1")) });
        Assert.Equal(
            "pods \"p\" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, minimum memory usage per Container is 64Mi.  No request is specified]",
            (await RefusedAsync(world, several)).Message);

        var fine = Pod(app: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "500m"), ("memory", "64Mi")) }, init: new V1ResourceRequirements { Limits = Q(("cpu", "1")), Requests = Q(("cpu", "1"), ("memory", "1Gi")) });
        await new LimitRanger(world.Lookup).ValidateAsync(world.Request(AdmissionOperation.Create, fine), CancellationToken.None);
    }

    [Fact]
    public async Task PodMax_CountsTheLargerOfContainersSumAndInitContainers()
    {
        await using var world = await WorldAsync(new V1LimitRangeItem { Type = "Pod", Max = Q(("memory", "1Gi")) });
        var pod = Pod(app: new V1ResourceRequirements { Limits = Q(("memory", "512Mi")) }, init: new V1ResourceRequirements { Limits = Q(("memory", "2Gi")) });
        Assert.Equal("pods \"p\" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 2Gi", (await RefusedAsync(world, pod)).Message);
    }

    [Fact]
    public async Task ClaimOutsideTheStorageRange_IsRefused()
    {
        await using var world = await WorldAsync(new V1LimitRangeItem { Type = "PersistentVolumeClaim", Min = Q(("storage", "1Gi")), Max = Q(("storage", "10Gi")) });
        var claim = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "team" },
            Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new V1VolumeResourceRequirements { Requests = Q(("storage", "20Gi")) } },
        };
        Assert.Equal("persistentvolumeclaims \"data\" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi", (await RefusedAsync(world, claim)).Message);
    }
}
