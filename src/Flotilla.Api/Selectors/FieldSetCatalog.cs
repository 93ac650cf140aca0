using System.Globalization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>
/// The field selectors kube-apiserver v1.32 supports per kind: the labels from the conversion functions of
/// pkg/apis/core/v1 and pkg/apis/batch/v1, the values from each registry strategy's ToSelectableFields. Kinds
/// without a conversion function accept only metadata.name and metadata.namespace (runtime's default), and
/// that includes apps/v1 ReplicaSet and StatefulSet, whose older API versions accepted more.
/// </summary>
internal static class FieldSetCatalog
{
    private const string Name = "metadata.name";
    private const string Namespace = "metadata.namespace";

    public static KindFieldSelectors Default { get; } = new(
        new HashSet<string>(StringComparer.Ordinal) { Name, Namespace },
        new Dictionary<string, string>(),
        label => $"{GoFormat.Quote(label)} is not a known field selector: only \"{Name}\", \"{Namespace}\"",
        AddFields: null);

    public static IReadOnlyDictionary<(string Group, string Kind), KindFieldSelectors> ByKind { get; } =
        new Dictionary<(string, string), KindFieldSelectors>
        {
            [("", "Pod")] = Core<V1Pod>(
                [Name, Namespace, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                 "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
                PodFields,
                aliases: new Dictionary<string, string> { ["spec.host"] = "spec.nodeName" }),
            [("", "Node")] = Core<V1Node>(
                [Name, "spec.unschedulable"],
                (node, fields) => fields["spec.unschedulable"] = Bool(node.Spec?.Unschedulable)),
            [("", "ReplicationController")] = Core<V1ReplicationController>(
                [Name, Namespace, "status.replicas"],
                (rc, fields) => fields["status.replicas"] = Int(rc.Status?.Replicas)),
            [("", "Event")] = Core<Corev1Event>(
                ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                 "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                 "reason", "reportingComponent", "source", "type", Namespace, Name],
                EventFields),
            [("", "Namespace")] = Core<V1Namespace>(
                ["status.phase", Name],
                (ns, fields) => fields["status.phase"] = ns.Status?.Phase ?? string.Empty),
            [("", "Secret")] = Core<V1Secret>(
                ["type", Namespace, Name],
                (secret, fields) => fields["type"] = secret.Type ?? string.Empty),
            [("", "Service")] = Core<V1Service>(
                [Namespace, Name, "spec.clusterIP", "spec.type"],
                (service, fields) =>
                {
                    fields["spec.clusterIP"] = service.Spec?.ClusterIP ?? string.Empty;
                    fields["spec.type"] = service.Spec?.Type ?? string.Empty;
                }),
            [("batch", "Job")] = Kind<V1Job>(
                [Name, Namespace, "status.successful"],
                label => $"field label {GoFormat.Quote(label)} not supported for batchv1.Job",
                (job, fields) => fields["status.successful"] = Int(job.Status?.Succeeded)),
        };

    private static void PodFields(V1Pod pod, Dictionary<string, string> fields)
    {
        var spec = pod.Spec;
        var status = pod.Status;
        fields["spec.nodeName"] = spec?.NodeName ?? string.Empty;
        fields["spec.restartPolicy"] = spec?.RestartPolicy ?? string.Empty;
        fields["spec.schedulerName"] = spec?.SchedulerName ?? string.Empty;

        // v1's deprecated serviceAccount stands in when serviceAccountName is empty, as in v1 -> internal conversion.
        fields["spec.serviceAccountName"] = NonEmpty(spec?.ServiceAccountName) ?? spec?.ServiceAccount ?? string.Empty;
        fields["spec.hostNetwork"] = Bool(spec?.HostNetwork);
        fields["status.phase"] = status?.Phase ?? string.Empty;

        // Upstream reads podIPs[0]; a v1 object with only podIP set converts to podIPs = [podIP].
        fields["status.podIP"] = status?.PodIPs is { Count: > 0 } ips ? ips[0].Ip ?? string.Empty : status?.PodIP ?? string.Empty;
        fields["status.nominatedNodeName"] = status?.NominatedNodeName ?? string.Empty;
    }

    private static void EventFields(Corev1Event e, Dictionary<string, string> fields)
    {
        var involved = e.InvolvedObject;
        fields["involvedObject.kind"] = involved?.Kind ?? string.Empty;
        fields["involvedObject.namespace"] = involved?.NamespaceProperty ?? string.Empty;
        fields["involvedObject.name"] = involved?.Name ?? string.Empty;
        fields["involvedObject.uid"] = involved?.Uid ?? string.Empty;
        fields["involvedObject.apiVersion"] = involved?.ApiVersion ?? string.Empty;
        fields["involvedObject.resourceVersion"] = involved?.ResourceVersion ?? string.Empty;
        fields["involvedObject.fieldPath"] = involved?.FieldPath ?? string.Empty;
        fields["reason"] = e.Reason ?? string.Empty;
        fields["reportingComponent"] = e.ReportingComponent ?? string.Empty;

        // Events written through events.k8s.io have no source.component; upstream falls back to the reporter.
        fields["source"] = NonEmpty(e.Source?.Component) ?? e.ReportingComponent ?? string.Empty;
        fields["type"] = e.Type ?? string.Empty;
    }

    private static KindFieldSelectors Core<T>(string[] labels, Action<T, Dictionary<string, string>> add, Dictionary<string, string>? aliases = null)
        where T : class =>
        Kind(labels, label => $"field label not supported: {label}", add, aliases);

    private static KindFieldSelectors Kind<T>(
        string[] labels,
        Func<string, string> notSupported,
        Action<T, Dictionary<string, string>> add,
        Dictionary<string, string>? aliases = null)
        where T : class
    {
        aliases ??= [];
        return new KindFieldSelectors(
            new HashSet<string>(labels.Concat(aliases.Keys), StringComparer.Ordinal),
            aliases,
            notSupported,
            (model, fields) => add(model as T ?? throw new ArgumentException($"expected a {typeof(T).Name}, got {model.GetType().Name}", nameof(model)), fields));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Bool(bool? value) => value == true ? "true" : "false";

    private static string Int(int? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);
}
