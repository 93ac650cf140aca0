using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class PersistentVolumePrinterTests
{
    // Upstream's TestPrintPersistentVolume.
    [Fact]
    public void Cells_BoundVolume_AllColumns()
    {
        var pv = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "test1", CreationTimestamp = Clock.Ago(hours: 2) },
            Spec = new V1PersistentVolumeSpec
            {
                ClaimRef = new V1ObjectReference { NamespaceProperty = "default", Name = "claim1" },
                AccessModes = ["ReadOnlyMany", "ReadWriteOnce", "ReadWriteOnce"],
                PersistentVolumeReclaimPolicy = "Retain",
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("4Gi") },
                StorageClassName = "fast",
                VolumeMode = "Filesystem",
            },
            Status = new V1PersistentVolumeStatus { Phase = "Bound" },
        };

        Assert.Equal(
            ["test1", "4Gi", "RWO,ROX", "Retain", "Bound", "default/claim1", "fast", "<unset>", "", "120m", "Filesystem"],
            new PersistentVolumePrinter().Cells(pv, Clock.Now));
    }

    [Fact]
    public void Cells_DeletedUnclaimedBetaClass_TerminatingAndAnnotationWins()
    {
        var pv = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta
            {
                Name = "test2",
                DeletionTimestamp = Clock.Ago(seconds: 1),
                Annotations = new Dictionary<string, string> { ["volume.beta.kubernetes.io/storage-class"] = "beta" },
            },
            Spec = new V1PersistentVolumeSpec { StorageClassName = "fast", VolumeAttributesClassName = "gold", AccessModes = ["ReadWriteOncePod", "ReadWriteMany"] },
            Status = new V1PersistentVolumeStatus { Phase = "Failed", Reason = "Recycle failed" },
        };

        Assert.Equal(
            ["test2", "0", "RWX,RWOP", "", "Terminating", "", "beta", "gold", "Recycle failed", "<unknown>", "<unset>"],
            new PersistentVolumePrinter().Cells(pv, Clock.Now));
    }
}
