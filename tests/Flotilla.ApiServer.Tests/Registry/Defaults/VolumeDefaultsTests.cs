using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class VolumeDefaultsTests
{
    // One volume of each defaulted source, as upstream's TestPodDefaults lists them.
    [Theory]
    [InlineData("""{"name":"v"}""", """{"name":"v","emptyDir":{}}""")]
    [InlineData("""{"name":"v","emptyDir":{"medium":"Memory"}}""", """{"name":"v","emptyDir":{"medium":"Memory"}}""")]
    [InlineData("""{"name":"v","hostPath":{"path":"/data"}}""", """{"name":"v","hostPath":{"path":"/data","type":""}}""")]
    [InlineData("""{"name":"v","hostPath":{"path":"/data","type":"Directory"}}""", """{"name":"v","hostPath":{"path":"/data","type":"Directory"}}""")]
    [InlineData("""{"name":"v","secret":{"secretName":"s"}}""", """{"name":"v","secret":{"secretName":"s","defaultMode":420}}""")]
    [InlineData("""{"name":"v","secret":{"secretName":"s","defaultMode":256}}""", """{"name":"v","secret":{"secretName":"s","defaultMode":256}}""")]
    [InlineData("""{"name":"v","configMap":{"name":"c"}}""", """{"name":"v","configMap":{"name":"c","defaultMode":420}}""")]
    [InlineData(
        """{"name":"v","downwardAPI":{"items":[{"path":"n","fieldRef":{"fieldPath":"metadata.name"}}]}}""",
        """{"name":"v","downwardAPI":{"defaultMode":420,"items":[{"path":"n","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}]}}""")]
    [InlineData(
        """{"name":"v","projected":{"sources":[{"serviceAccountToken":{"path":"token"}},{"downwardAPI":{"items":[{"path":"n","fieldRef":{"fieldPath":"metadata.name"}}]}}]}}""",
        """{"name":"v","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3600,"path":"token"}},{"downwardAPI":{"items":[{"path":"n","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}]}}]}}""")]
    [InlineData(
        """{"name":"v","iscsi":{"targetPortal":"p","iqn":"q","lun":0}}""",
        """{"name":"v","iscsi":{"targetPortal":"p","iqn":"q","lun":0,"iscsiInterface":"default"}}""")]
    [InlineData(
        """{"name":"v","rbd":{"monitors":["m"],"image":"i"}}""",
        """{"name":"v","rbd":{"monitors":["m"],"image":"i","pool":"rbd","user":"admin","keyring":"/etc/ceph/keyring"}}""")]
    [InlineData(
        """{"name":"v","azureDisk":{"diskName":"d","diskURI":"u"}}""",
        """{"name":"v","azureDisk":{"diskName":"d","diskURI":"u","cachingMode":"ReadWrite","kind":"Shared","fsType":"ext4","readOnly":false}}""")]
    [InlineData(
        """{"name":"v","scaleIO":{"gateway":"g","system":"s","secretRef":{"name":"x"}}}""",
        """{"name":"v","scaleIO":{"gateway":"g","system":"s","secretRef":{"name":"x"},"storageMode":"ThinProvisioned","fsType":"xfs"}}""")]
    [InlineData(
        """{"name":"v","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}}}""",
        """{"name":"v","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"}}}}""")]
    [InlineData("""{"name":"v","persistentVolumeClaim":{"claimName":"c"}}""", """{"name":"v","persistentVolumeClaim":{"claimName":"c"}}""")]
    public void Apply_PodVolume_SourceDefaults(string volume, string expected)
    {
        var pod = Defaulted.SpecJson<V1Pod>("{\"volumes\":[" + volume + "]}");

        JsonAssert.Equal(expected, pod.At("spec.volumes.0"));
    }

    [Fact]
    public void Apply_PersistentVolume_SourceDefaultsInTheirPersistentShape()
    {
        var pv = Defaulted.Json<V1PersistentVolume>("""
            {"spec":{"capacity":{"storage":"1Gi"},"rbd":{"monitors":["m"],"image":"i"},"hostPath":{"path":"/d"}}}
            """);

        JsonAssert.Equal("""{"monitors":["m"],"image":"i","pool":"rbd","user":"admin","keyring":"/etc/ceph/keyring"}""", pv.At("spec.rbd"));
        JsonAssert.Equal("""{"path":"/d","type":""}""", pv.At("spec.hostPath"));
    }
}
