using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class PersistentVolumeClaimDefaultsTests
{
    [Theory]
    [InlineData("""{"resources":{"requests":{"storage":"1Gi"}}}""", "Filesystem")]
    [InlineData("""{"volumeMode":"Block"}""", "Block")]
    public void Apply_Spec_FilesystemAndPending(string spec, string mode)
    {
        var pvc = Defaulted.SpecJson<V1PersistentVolumeClaim>(spec);

        Assert.Equal(mode, (string?)pvc.At("spec.volumeMode"));
        JsonAssert.Equal("""{"phase":"Pending"}""", pvc["status"]);
    }

    [Fact]
    public void Apply_Quantities_RoundedToMilli()
    {
        var pvc = Defaulted.Json<V1PersistentVolumeClaim>("""
            {"spec":{"resources":{"requests":{"storage":"0.0001"}}},"status":{"phase":"Bound","capacity":{"storage":"0.0001"}}}
            """);

        Assert.Equal("1m", (string?)pvc.At("spec.resources.requests.storage"));
        Assert.Equal("1m", (string?)pvc.At("status.capacity.storage"));
        Assert.Equal("Bound", (string?)pvc.At("status.phase"));
    }
}
