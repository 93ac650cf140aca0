using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class PersistentVolumeDefaultsTests
{
    [Theory]
    [InlineData("""{"capacity":{"storage":"1Gi"}}""", "Retain", "Filesystem")]
    [InlineData("""{"persistentVolumeReclaimPolicy":"Delete","volumeMode":"Block"}""", "Delete", "Block")]
    public void Apply_Spec_RetainAndFilesystem(string spec, string reclaim, string mode)
    {
        var pv = Defaulted.SpecJson<V1PersistentVolume>(spec);

        Assert.Equal(reclaim, (string?)pv.At("spec.persistentVolumeReclaimPolicy"));
        Assert.Equal(mode, (string?)pv.At("spec.volumeMode"));
        JsonAssert.Equal("""{"phase":"Pending"}""", pv["status"]);
    }

    [Fact]
    public void Apply_BoundPhase_Kept()
    {
        var pv = Defaulted.Json<V1PersistentVolume>("""{"spec":{},"status":{"phase":"Bound"}}""");

        Assert.Equal("Bound", (string?)pv.At("status.phase"));
    }
}
