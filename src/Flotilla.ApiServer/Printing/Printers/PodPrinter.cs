using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>pods: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES.</summary>
public sealed class PodPrinter : TablePrinter<V1Pod>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        TableColumn.String("Status", "The aggregate status of the containers in this pod."),
        TableColumn.String("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        CommonColumns.Age,
        TableColumn.String("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1),
        TableColumn.String("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", priority: 1),
        TableColumn.String("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", priority: 1),
        TableColumn.String("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", priority: 1),
    ];

    protected override IReadOnlyList<object?> Row(V1Pod model, DateTimeOffset now)
    {
        var summary = PodSummary.Of(model);
        var status = model.Status;

        // The internal API fills podIPs from the legacy podIP field.
        var podIP = status?.PodIPs is { Count: > 0 } ips ? ips[0].Ip : status?.PodIP;
        return
        [
            Meta.Name(model.Metadata),
            $"{summary.ReadyContainers}/{summary.TotalContainers}",
            summary.Reason,
            summary.RestartsText(now),
            Meta.Age(model.Metadata, now),
            OrNone(podIP),
            OrNone(model.Spec?.NodeName),
            OrNone(status?.NominatedNodeName),
            ReadinessGates(model),
        ];
    }

    private static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    private static string ReadinessGates(V1Pod pod)
    {
        var gates = pod.Spec?.ReadinessGates;
        if (gates is null || gates.Count == 0)
        {
            return "<none>";
        }

        var conditions = pod.Status?.Conditions ?? [];
        var passing = gates.Count(g => conditions.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
        return $"{passing}/{gates.Count}";
    }
}
