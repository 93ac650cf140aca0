using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>statefulsets: NAME READY AGE | CONTAINERS IMAGES.</summary>
public sealed class StatefulSetPrinter : TablePrinter<V1StatefulSet>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Ready", "Number of the pod with ready state"),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
    ];

    protected override IReadOnlyList<object?> Row(V1StatefulSet model, DateTimeOffset now)
    {
        var (names, images) = Containers.Layout(model.Spec?.Template);
        return
        [
            Meta.Name(model.Metadata),
            $"{model.Status?.ReadyReplicas ?? 0}/{model.Spec?.Replicas ?? 0}",
            Meta.Age(model.Metadata, now),
            names,
            images,
        ];
    }
}
