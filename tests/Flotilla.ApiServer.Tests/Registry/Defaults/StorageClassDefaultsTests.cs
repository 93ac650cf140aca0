using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class StorageClassDefaultsTests
{
    [Theory]
    [InlineData("""{"provisioner":"p"}""", "Delete", "Immediate")]
    [InlineData("""{"provisioner":"p","reclaimPolicy":"Retain","volumeBindingMode":"WaitForFirstConsumer"}""", "Retain", "WaitForFirstConsumer")]
    public void Apply_StorageClass_DeleteAndImmediateByDefault(string manifest, string reclaim, string binding)
    {
        var storageClass = Defaulted.Object<V1StorageClass>(manifest);

        Assert.Equal(reclaim, storageClass.ReclaimPolicy);
        Assert.Equal(binding, storageClass.VolumeBindingMode);
    }
}
