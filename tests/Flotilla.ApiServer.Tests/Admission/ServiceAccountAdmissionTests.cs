using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class ServiceAccountAdmissionTests
{
    private static V1Pod Pod(string? account = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec
        {
            ServiceAccountName = account,
            InitContainers = [new V1Container { Name = "init", Image = "busybox" }],
            Containers = [new V1Container { Name = "app", Image = "busybox" }, new V1Container { Name = "side", Image = "busybox" }],
        },
    };

    private static async Task<AdmissionWorld> WorldAsync(params V1ServiceAccount[] accounts)
    {
        var world = await AdmissionWorld.StartAsync("team");
        foreach (var account in accounts)
        {
            account.Metadata.NamespaceProperty = "team";
            await world.AddAsync(account);
        }

        return world;
    }

    private static V1ServiceAccount Account(string name, bool? automount = null, params string[] pullSecrets) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        AutomountServiceAccountToken = automount,
        ImagePullSecrets = pullSecrets.Length == 0 ? null : [.. pullSecrets.Select(s => new V1LocalObjectReference { Name = s })],
    };

    [Fact]
    public async Task PodWithoutAccount_RunsAsDefault_AndEveryContainerMountsTheTokenVolume()
    {
        await using var world = await WorldAsync(Account("default"));
        var pod = Pod();
        await new ServiceAccountAdmission(world.Lookup, TimeProvider.System).AdmitAsync(world.Request(AdmissionOperation.Create, pod), CancellationToken.None);

        Assert.Equal("default", pod.Spec.ServiceAccountName);
        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", volume.Name);
        Assert.Equal(420, volume.Projected.DefaultMode);
        Assert.Equal(3607, volume.Projected.Sources[0].ServiceAccountToken.ExpirationSeconds);
        Assert.Equal("token", volume.Projected.Sources[0].ServiceAccountToken.Path);
        Assert.Equal("kube-root-ca.crt", volume.Projected.Sources[1].ConfigMap.Name);
        Assert.Equal("metadata.namespace", volume.Projected.Sources[2].DownwardAPI.Items[0].FieldRef.FieldPath);
        foreach (var container in pod.Spec.InitContainers.Concat(pod.Spec.Containers))
        {
            var mount = Assert.Single(container.VolumeMounts);
            Assert.Equal((volume.Name, "/var/run/secrets/kubernetes.io/serviceaccount", true), (mount.Name, mount.MountPath, mount.ReadOnlyProperty == true));
        }
    }

    [Fact]
    public async Task MissingAccount_IsForbidden_WithUpstreamsMessage()
    {
        await using var world = await WorldAsync();
        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await new ServiceAccountAdmission(world.Lookup, TimeProvider.System).AdmitAsync(world.Request(AdmissionOperation.Create, Pod("builder")), CancellationToken.None));
        Assert.Equal(403, e.Code);
        Assert.Equal("pods \"p\" is forbidden: error looking up service account team/builder: serviceaccount \"builder\" not found", e.Message);
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    [InlineData(null, null, true)]
    public async Task Automount_PodSettingWins_ThenTheAccounts(bool? account, bool? pod, bool mounted)
    {
        await using var world = await WorldAsync(Account("builder", account));
        var p = Pod("builder");
        p.Spec.AutomountServiceAccountToken = pod;
        await new ServiceAccountAdmission(world.Lookup, TimeProvider.System).AdmitAsync(world.Request(AdmissionOperation.Create, p), CancellationToken.None);
        Assert.Equal(mounted, p.Spec.Volumes?.Count == 1);
    }

    [Fact]
    public async Task OwnMountAtThePath_IsKept_AndPullSecretsAreCopied()
    {
        await using var world = await WorldAsync(Account("builder", null, "registry-key"));
        var pod = Pod("builder");
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "mine", MountPath = ServiceAccountAdmission.MountPath }];
        await new ServiceAccountAdmission(world.Lookup, TimeProvider.System).AdmitAsync(world.Request(AdmissionOperation.Create, pod), CancellationToken.None);

        Assert.Equal("mine", Assert.Single(pod.Spec.Containers[0].VolumeMounts).Name);
        Assert.StartsWith("kube-api-access-", Assert.Single(pod.Spec.Containers[1].VolumeMounts).Name, StringComparison.Ordinal);
        Assert.Equal("registry-key", Assert.Single(pod.Spec.ImagePullSecrets).Name);
    }

    [Fact]
    public async Task UpdatesAndSubresources_AreLeftAlone()
    {
        await using var world = await WorldAsync();
        var plugin = new ServiceAccountAdmission(world.Lookup, TimeProvider.System);
        var pod = Pod("missing");
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Update, pod, Pod("missing")), CancellationToken.None);
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, pod, subresource: "status"), CancellationToken.None);
        Assert.Null(pod.Spec.Volumes);
    }
}
