using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>replicationcontrollers: NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR.</summary>
public sealed class ReplicationControllerPrinter : TablePrinter<V1ReplicationController>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.Integer("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
        TableColumn.Integer("Current", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller"),
        TableColumn.Integer("Ready", "The number of ready replicas for this replication controller."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        TableColumn.String("Selector", "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1ReplicationController model, DateTimeOffset now)
    {
        var (names, images) = Containers.Layout(model.Spec?.Template);
        return
        [
            Meta.Name(model.Metadata),
            (long)(model.Spec?.Replicas ?? 0),
            (long)(model.Status?.Replicas ?? 0),
            (long)(model.Status?.ReadyReplicas ?? 0),
            Meta.Age(model.Metadata, now),
            names,
            images,
            LabelSelectors.FormatLabels(model.Spec?.Selector),
        ];
    }
}
