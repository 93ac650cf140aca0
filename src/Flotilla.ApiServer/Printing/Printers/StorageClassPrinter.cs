using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>storageclasses: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE, the default class marked "(default)".</summary>
public sealed class StorageClassPrinter : TablePrinter<V1StorageClass>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Provisioner", "provisioner indicates the type of the provisioner."),
        TableColumn.String("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
        TableColumn.String("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."),
        TableColumn.String("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1StorageClass model, DateTimeOffset now)
    {
        var isDefault = Api.Volumes.StorageAnnotations.IsDefaultClass(model.Metadata);
        return
        [
            Meta.Name(model.Metadata) + (isDefault ? " (default)" : ""),
            model.Provisioner ?? "",
            model.ReclaimPolicy ?? "Delete",
            model.VolumeBindingMode ?? "Immediate",
            model.AllowVolumeExpansion ?? false,
            Meta.Age(model.Metadata, now),
        ];
    }
}
