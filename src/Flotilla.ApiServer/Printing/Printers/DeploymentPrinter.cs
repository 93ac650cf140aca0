using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>deployments: NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR.</summary>
public sealed class DeploymentPrinter : TablePrinter<V1Deployment>
{
    // Upstream still takes these descriptions from extensions/v1beta1.
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Ready", "Number of the pod with ready state"),
        TableColumn.String("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        TableColumn.String("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        TableColumn.String("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1Deployment model, DateTimeOffset now)
    {
        var status = model.Status;
        var (names, images) = Containers.Layout(model.Spec?.Template);

        // Unlike the other workloads, an empty selector prints as "" and an invalid one as "<invalid>".
        var selector = LabelSelectors.TryToString(model.Spec?.Selector, out var text) ? text : "<invalid>";
        return
        [
            Meta.Name(model.Metadata),
            $"{status?.ReadyReplicas ?? 0}/{model.Spec?.Replicas ?? 0}",
            (long)(status?.UpdatedReplicas ?? 0),
            (long)(status?.AvailableReplicas ?? 0),
            Meta.Age(model.Metadata, now),
            names,
            images,
            selector,
        ];
    }
}
