using System.Reflection;
using k8s.Models;

namespace Flotilla.Api.Resources;

/// <summary>
/// Every resource Flotilla serves, as kube-apiserver v1.32 lists them (names, short names, categories,
/// subresources). Adding a kind is one entry here plus one strategy in the API server.
/// </summary>
public sealed class ResourceCatalog
{
    private static readonly string[] All = ["all"];
    private static readonly string[] Create = ["create"];

    private readonly Dictionary<(string Group, string Version, string Plural), ResourceInfo> _byPath = [];
    private readonly Dictionary<(string Group, string Version, string Kind), ResourceInfo> _byKind = [];

    public ResourceCatalog(IEnumerable<ResourceInfo> resources)
    {
        foreach (var r in resources)
        {
            _byPath.Add((r.Group, r.Version, r.Plural), r);
            _byKind.Add((r.Group, r.Version, r.Kind), r);
        }

        Resources = [.. _byPath.Values];
    }

    public static ResourceCatalog Default { get; } = new(BuiltIn());

    public IReadOnlyList<ResourceInfo> Resources { get; }

    /// <summary>Group versions in discovery order: core first, then groups by name.</summary>
    public IEnumerable<(string Group, string Version)> GroupVersions =>
        Resources.Select(r => (r.Group, r.Version)).Distinct().OrderBy(g => g.Group.Length == 0 ? 0 : 1).ThenBy(g => g.Group, StringComparer.Ordinal);

    public ResourceInfo? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    public ResourceInfo? FindKind(string group, string version, string kind) =>
        _byKind.GetValueOrDefault((group, version, kind));

    public static IEnumerable<ResourceInfo> BuiltIn()
    {
        // core/v1
        yield return Make<V1Namespace>(namespaced: false, shortNames: ["ns"], subresources: ["status", "finalize"]);
        yield return Make<V1Pod>(shortNames: ["po"], categories: All, subresources: ["status", "binding", "log", "exec", "attach", "portforward"]);
        yield return Make<V1Node>(namespaced: false, shortNames: ["no"], subresources: ["status", "proxy"]);
        yield return Make<V1Service>(shortNames: ["svc"], categories: All, subresources: ["status"]);
        yield return Make<V1Endpoints>(shortNames: ["ep"]);
        yield return Make<V1ConfigMap>(shortNames: ["cm"]);
        yield return Make<V1Secret>();
        yield return Make<V1ServiceAccount>(shortNames: ["sa"], subresources: ["token"]);
        var events = Make<Corev1Event>(shortNames: ["ev"]);
        yield return events;
        yield return Make<V1PersistentVolume>(namespaced: false, shortNames: ["pv"], subresources: ["status"]);
        yield return Make<V1PersistentVolumeClaim>(shortNames: ["pvc"], subresources: ["status"]);
        yield return Make<V1ResourceQuota>(shortNames: ["quota"], subresources: ["status"]);
        yield return Make<V1LimitRange>(shortNames: ["limits"]);
        yield return Make<V1ReplicationController>(shortNames: ["rc"], categories: All, subresources: ["status", "scale"]);

        // apps/v1
        yield return Make<V1Deployment>(shortNames: ["deploy"], categories: All, subresources: ["status", "scale"]);
        yield return Make<V1ReplicaSet>(shortNames: ["rs"], categories: All, subresources: ["status", "scale"]);
        yield return Make<V1StatefulSet>(shortNames: ["sts"], categories: All, subresources: ["status", "scale"]);
        yield return Make<V1DaemonSet>(shortNames: ["ds"], categories: All, subresources: ["status"]);
        yield return Make<V1ControllerRevision>();

        // batch/v1
        yield return Make<V1Job>(categories: All, subresources: ["status"]);
        yield return Make<V1CronJob>(shortNames: ["cj"], categories: All, subresources: ["status"]);

        // certificates.k8s.io/v1
        yield return Make<V1CertificateSigningRequest>(namespaced: false, shortNames: ["csr"], subresources: ["status", "approval"]);

        // networking.k8s.io/v1
        yield return Make<V1Ingress>(shortNames: ["ing"], subresources: ["status"]);
        yield return Make<V1IngressClass>(namespaced: false);
        yield return Make<V1NetworkPolicy>(shortNames: ["netpol"]);

        // discovery.k8s.io/v1, coordination.k8s.io/v1, policy/v1, autoscaling/v2 (+v1), events.k8s.io/v1
        yield return Make<V1EndpointSlice>();
        yield return Make<V1Lease>();
        yield return Make<V1PodDisruptionBudget>(shortNames: ["pdb"], subresources: ["status"]);
        var hpa = Make<V2HorizontalPodAutoscaler>(shortNames: ["hpa"], categories: All, subresources: ["status"]);
        yield return hpa;
        yield return Make<V1HorizontalPodAutoscaler>(shortNames: ["hpa"], categories: All, subresources: ["status"]) with { StoredAs = hpa };
        yield return Make<Eventsv1Event>(shortNames: ["ev"]) with { StoredAs = events };

        // rbac.authorization.k8s.io/v1, scheduling.k8s.io/v1, storage.k8s.io/v1
        yield return Make<V1Role>();
        yield return Make<V1RoleBinding>();
        yield return Make<V1ClusterRole>(namespaced: false);
        yield return Make<V1ClusterRoleBinding>(namespaced: false);
        yield return Make<V1PriorityClass>(namespaced: false, shortNames: ["pc"]);
        yield return Make<V1StorageClass>(namespaced: false, shortNames: ["sc"]);

        // authentication.k8s.io/v1, authorization.k8s.io/v1: asked, answered, never stored.
        // (the client package's entity attributes leave their plural names empty)
        yield return Make<V1SelfSubjectReview>(namespaced: false) with { Plural = "selfsubjectreviews", Virtual = true, Verbs = Create };
        yield return Make<V1TokenReview>(namespaced: false) with { Plural = "tokenreviews", Virtual = true, Verbs = Create };
        yield return Make<V1SelfSubjectAccessReview>(namespaced: false) with { Plural = "selfsubjectaccessreviews", Virtual = true, Verbs = Create };
        yield return Make<V1SelfSubjectRulesReview>(namespaced: false) with { Plural = "selfsubjectrulesreviews", Virtual = true, Verbs = Create };
        yield return Make<V1SubjectAccessReview>(namespaced: false) with { Plural = "subjectaccessreviews", Virtual = true, Verbs = Create };

        // The built-in metrics server's (metrics-server's API): computed from the kubelets' readings, read only.
        yield return MetricsKind<Metrics.V1Beta1NodeMetrics>("NodeMetrics", "nodes", namespaced: false);
        yield return MetricsKind<Metrics.V1Beta1PodMetrics>("PodMetrics", "pods", namespaced: true);
    }

    private static ResourceInfo MetricsKind<T>(string kind, string plural, bool namespaced) => new()
    {
        Group = "metrics.k8s.io",
        Version = "v1beta1",
        Kind = kind,
        Plural = plural,
        Namespaced = namespaced,
        ModelType = typeof(T),
        Virtual = true,
        Verbs = ["get", "list"],
    };

    private static ResourceInfo Make<T>(
        bool namespaced = true,
        string[]? shortNames = null,
        string[]? categories = null,
        string[]? subresources = null)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no KubernetesEntity attribute");
        return new ResourceInfo
        {
            Group = entity.Group,
            Version = entity.ApiVersion,
            Kind = entity.Kind,
            Plural = entity.PluralName,
            Namespaced = namespaced,
            ModelType = typeof(T),
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Subresources = subresources ?? [],
        };
    }
}
