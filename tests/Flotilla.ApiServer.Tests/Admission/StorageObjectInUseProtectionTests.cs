using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class StorageObjectInUseProtectionTests
{
    [Fact]
    public async Task NewClaimsAndVolumes_GetTheirFinalizerOnce_OtherKindsNone()
    {
        await using var world = await AdmissionWorld.StartAsync();
        var plugin = new StorageObjectInUseProtection();
        var claim = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "team", Finalizers = [StorageObjectInUseProtection.ClaimFinalizer] } };
        var volume = new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "v" } };
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m", NamespaceProperty = "team" } };
        foreach (var obj in new k8s.IKubernetesObject<V1ObjectMeta>[] { claim, volume, configMap })
        {
            await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, obj), CancellationToken.None);
        }

        Assert.Equal([StorageObjectInUseProtection.ClaimFinalizer], claim.Metadata.Finalizers);
        Assert.Equal([StorageObjectInUseProtection.VolumeFinalizer], volume.Metadata.Finalizers);
        Assert.Null(configMap.Metadata.Finalizers);
    }
}
