using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>persistentvolumes: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE | VOLUMEMODE.</summary>
public sealed class PersistentVolumePrinter : TablePrinter<V1PersistentVolume>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Capacity", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
        TableColumn.String("Access Modes", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
        TableColumn.String("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
        TableColumn.String("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
        TableColumn.String("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
        TableColumn.String("StorageClass", "StorageClass of the pv"),
        TableColumn.String("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
        TableColumn.String("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        CommonColumns.Age,
        TableColumn.String("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1PersistentVolume model, DateTimeOffset now)
    {
        var spec = model.Spec;
        var claim = spec?.ClaimRef is { } claimRef ? $"{claimRef.NamespaceProperty}/{claimRef.Name}" : "";
        return
        [
            Meta.Name(model.Metadata),
            Quantities.Of(spec?.Capacity, "storage"),
            AccessModes.Format(spec?.AccessModes),
            spec?.PersistentVolumeReclaimPolicy ?? "",
            model.Metadata?.DeletionTimestamp is not null ? "Terminating" : model.Status?.Phase ?? "",
            claim,
            Api.Volumes.VolumeMatching.ClassOf(model),
            spec?.VolumeAttributesClassName ?? "<unset>",
            model.Status?.Reason ?? "",
            Meta.Age(model.Metadata, now),
            spec?.VolumeMode ?? "<unset>",
        ];
    }
}
