using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>networkpolicies: NAME POD-SELECTOR AGE.</summary>
public sealed class NetworkPolicyPrinter : TablePrinter<V1NetworkPolicy>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace."),
        CommonColumns.Age,
    ];

    // podSelector is a struct upstream, never nil: a missing one is the empty selector (all pods).
    protected override IReadOnlyList<object?> Row(V1NetworkPolicy model, DateTimeOffset now) =>
    [
        Meta.Name(model.Metadata),
        LabelSelectors.Format(model.Spec?.PodSelector ?? new V1LabelSelector()),
        Meta.Age(model.Metadata, now),
    ];
}
