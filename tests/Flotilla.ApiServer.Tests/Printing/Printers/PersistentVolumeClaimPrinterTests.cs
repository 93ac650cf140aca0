using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class PersistentVolumeClaimPrinterTests
{
    // Upstream's TestPrintPersistentVolumeClaim.
    [Fact]
    public void Cells_Bound_CapacityAndModesFromStatus()
    {
        var pvc = Claim(volume: "my-volume", phase: "Bound");

        Assert.Equal(
            ["test1", "Bound", "my-volume", "4Gi", "ROX", "standard", "<unset>", "<unknown>", "Filesystem"],
            new PersistentVolumeClaimPrinter().Cells(pvc, Clock.Now));
    }

    [Fact]
    public void Cells_Pending_CapacityAndModesBlank() =>
        Assert.Equal(
            ["test1", "Pending", "", "", "", "standard", "<unset>", "<unknown>", "Filesystem"],
            new PersistentVolumeClaimPrinter().Cells(Claim(volume: null, phase: "Pending"), Clock.Now));

    [Fact]
    public void Cells_Deleted_Terminating()
    {
        var pvc = Claim(volume: "my-volume", phase: "Bound");
        pvc.Metadata.DeletionTimestamp = Clock.Ago(seconds: 3);
        pvc.Spec.StorageClassName = null;
        pvc.Spec.VolumeAttributesClassName = "silver";

        Assert.Equal(
            ["test1", "Terminating", "my-volume", "4Gi", "ROX", "", "silver", "<unknown>", "Filesystem"],
            new PersistentVolumeClaimPrinter().Cells(pvc, Clock.Now));
    }

    private static V1PersistentVolumeClaim Claim(string? volume, string phase) => new()
    {
        Metadata = new V1ObjectMeta { Name = "test1" },
        Spec = new V1PersistentVolumeClaimSpec { VolumeName = volume, StorageClassName = "standard", VolumeMode = "Filesystem" },
        Status = new V1PersistentVolumeClaimStatus
        {
            Phase = phase,
            AccessModes = ["ReadOnlyMany"],
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("4Gi") },
        },
    };
}
