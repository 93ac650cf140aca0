using System.Globalization;
using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>horizontalpodautoscalers (autoscaling/v2): NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.</summary>
public sealed class HorizontalPodAutoscalerPrinter : TablePrinter<V2HorizontalPodAutoscaler>
{
    // Upstream still takes these descriptions from autoscaling/v2beta1.
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
        TableColumn.String("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond."),
        TableColumn.String("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."),
        TableColumn.String("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."),
        TableColumn.String("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V2HorizontalPodAutoscaler model, DateTimeOffset now)
    {
        var spec = model.Spec;
        return
        [
            Meta.Name(model.Metadata),
            $"{spec?.ScaleTargetRef?.Kind}/{spec?.ScaleTargetRef?.Name}",
            HpaTargets.Format(spec?.Metrics, model.Status?.CurrentMetrics),
            spec?.MinReplicas?.ToString(CultureInfo.InvariantCulture) ?? "<unset>",
            (long)(spec?.MaxReplicas ?? 0),
            (long)(model.Status?.CurrentReplicas ?? 0),
            Meta.Age(model.Metadata, now),
        ];
    }
}
