using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class StorageClassPrinterTests
{
    // Upstream's TestPrintStorageClass.
    [Fact]
    public void Cells_Defaults_DeleteImmediateFalse()
    {
        var sc = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "sc1", CreationTimestamp = Clock.Ago(days: 3650) }, Provisioner = "kubernetes.io/glusterfs" };

        Assert.Equal(["sc1", "kubernetes.io/glusterfs", "Delete", "Immediate", false, "10y"], new StorageClassPrinter().Cells(sc, Clock.Now));
    }

    [Theory]
    [InlineData("storageclass.kubernetes.io/is-default-class")]
    [InlineData("storageclass.beta.kubernetes.io/is-default-class")]
    public void Cells_DefaultClass_MarkedDefault(string annotation)
    {
        var sc = new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = "sc2", Annotations = new Dictionary<string, string> { [annotation] = "true" } },
            Provisioner = "rancher.io/local-path",
            ReclaimPolicy = "Retain",
            VolumeBindingMode = "WaitForFirstConsumer",
            AllowVolumeExpansion = true,
        };

        Assert.Equal(["sc2 (default)", "rancher.io/local-path", "Retain", "WaitForFirstConsumer", true, "<unknown>"], new StorageClassPrinter().Cells(sc, Clock.Now));
    }
}
