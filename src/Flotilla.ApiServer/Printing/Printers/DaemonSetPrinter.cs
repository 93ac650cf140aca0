using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>daemonsets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES SELECTOR.</summary>
public sealed class DaemonSetPrinter : TablePrinter<V1DaemonSet>
{
    private const string MoreInfo = " More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/";

    // Upstream still takes these descriptions from extensions/v1beta1.
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.Integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)." + MoreInfo),
        TableColumn.Integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod." + MoreInfo),
        TableColumn.Integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
        TableColumn.Integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
        TableColumn.Integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        TableColumn.String("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        CommonColumns.Age,
        CommonColumns.Containers,
        CommonColumns.Images,
        TableColumn.String("Selector", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1DaemonSet model, DateTimeOffset now)
    {
        var status = model.Status;
        var (names, images) = Containers.Layout(model.Spec?.Template);
        return
        [
            Meta.Name(model.Metadata),
            (long)(status?.DesiredNumberScheduled ?? 0),
            (long)(status?.CurrentNumberScheduled ?? 0),
            (long)(status?.NumberReady ?? 0),
            (long)(status?.UpdatedNumberScheduled ?? 0),
            (long)(status?.NumberAvailable ?? 0),
            LabelSelectors.FormatLabels(model.Spec?.Template?.Spec?.NodeSelector),
            Meta.Age(model.Metadata, now),
            names,
            images,
            LabelSelectors.Format(model.Spec?.Selector),
        ];
    }
}
