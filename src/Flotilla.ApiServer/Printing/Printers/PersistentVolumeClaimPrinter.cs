using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>persistentvolumeclaims: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE | VOLUMEMODE.</summary>
public sealed class PersistentVolumeClaimPrinter : TablePrinter<V1PersistentVolumeClaim>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Status", "phase represents the current phase of PersistentVolumeClaim."),
        TableColumn.String("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        TableColumn.String("Capacity", "capacity represents the actual resources of the underlying volume."),
        TableColumn.String("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
        TableColumn.String("StorageClass", "StorageClass of the pvc"),
        TableColumn.String("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
        CommonColumns.Age,
        TableColumn.String("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1PersistentVolumeClaim model, DateTimeOffset now)
    {
        var spec = model.Spec;
        var volume = spec?.VolumeName ?? "";

        // Capacity and access modes are the bound volume's, so they stay blank until the claim is bound.
        var bound = volume.Length > 0;
        return
        [
            Meta.Name(model.Metadata),
            model.Metadata?.DeletionTimestamp is not null ? "Terminating" : model.Status?.Phase ?? "",
            volume,
            bound ? Quantities.Of(model.Status?.Capacity, "storage") : "",
            bound ? AccessModes.Format(model.Status?.AccessModes) : "",
            Api.Volumes.VolumeMatching.ClassOf(model),
            spec?.VolumeAttributesClassName ?? "<unset>",
            Meta.Age(model.Metadata, now),
            spec?.VolumeMode ?? "<unset>",
        ];
    }
}
