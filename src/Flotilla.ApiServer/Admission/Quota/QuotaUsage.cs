using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Quota;

/// <summary>
/// What one object counts against a ResourceQuota (upstream's quota evaluators): object counts for every resource
/// (<c>count/&lt;resource&gt;.&lt;group&gt;</c>, and the legacy names such as <c>pods</c> or <c>secrets</c>), compute
/// requests and limits for pods that have not finished, node ports and load balancers for services, storage for claims.
/// </summary>
public static class QuotaUsage
{
    /// <summary>The core resources quota'd by their plain name as well as by <c>count/</c>.</summary>
    private static readonly HashSet<string> LegacyCounted = ["pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims"];

    public static Dictionary<string, decimal> Of(ResourceInfo resource, IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (obj is V1Pod pod && IsTerminal(pod))
        {
            return usage;  // a finished pod uses nothing
        }

        usage[resource.Group.Length == 0 ? $"count/{resource.Plural}" : $"count/{resource.Plural}.{resource.Group}"] = 1;
        if (resource.Group.Length == 0 && LegacyCounted.Contains(resource.Plural))
        {
            usage[resource.Plural] = 1;
        }

        switch (obj)
        {
            case V1Pod p:
                AddPod(p, usage);
                break;
            case V1Service service:
                AddService(service, usage);
                break;
            case V1PersistentVolumeClaim claim:
                AddClaim(claim, usage);
                break;
        }

        return usage;
    }

    /// <summary>Whether objects of <paramref name="resource"/> can count towards the quota'd <paramref name="name"/>.</summary>
    public static bool Tracks(ResourceInfo resource, string name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(name);
        var core = resource.Group.Length == 0;
        if (name == (core ? $"count/{resource.Plural}" : $"count/{resource.Plural}.{resource.Group}") || (core && name == resource.Plural))
        {
            return true;
        }

        return core && resource.Plural switch
        {
            "pods" => name.StartsWith("requests.", StringComparison.Ordinal) && name != "requests.storage" || name.StartsWith("limits.", StringComparison.Ordinal) || name is "cpu" or "memory" or "ephemeral-storage",
            "services" => name.StartsWith("services.", StringComparison.Ordinal),
            "persistentvolumeclaims" => name == "requests.storage" || name.Contains(".storageclass.storage.k8s.io/", StringComparison.Ordinal),
            _ => false,
        };
    }

    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>A pod without any request or limit (QoS BestEffort).</summary>
    public static bool IsBestEffort(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? [])
            .All(c => (c.Resources?.Requests is null || c.Resources.Requests.Count == 0) && (c.Resources?.Limits is null || c.Resources.Limits.Count == 0));

    private static void AddPod(V1Pod pod, Dictionary<string, decimal> usage)
    {
        foreach (var (name, value) in PodTotal(pod, r => r?.Requests))
        {
            usage["requests." + name] = value;
            if (name is "cpu" or "memory" or "ephemeral-storage")
            {
                usage[name] = value;
            }
        }

        foreach (var (name, value) in PodTotal(pod, r => r?.Limits))
        {
            usage["limits." + name] = value;
        }
    }

    private static void AddService(V1Service service, Dictionary<string, decimal> usage)
    {
        var type = service.Spec?.Type ?? "ClusterIP";
        usage["services.loadbalancers"] = 0;
        usage["services.nodeports"] = 0;
        if (type == "LoadBalancer")
        {
            usage["services.loadbalancers"] = 1;
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            usage["services.nodeports"] = service.Spec?.Ports?.Count(p => p.NodePort is > 0 || type == "NodePort" || service.Spec.AllocateLoadBalancerNodePorts != false) ?? 0;
        }
    }

    private static void AddClaim(V1PersistentVolumeClaim claim, Dictionary<string, decimal> usage)
    {
        var storage = claim.Spec?.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var q) ? Quantities.Value(q) : 0m;
        usage["requests.storage"] = storage;
        if (claim.Spec?.StorageClassName is { Length: > 0 } storageClass)
        {
            usage[$"{storageClass}.storageclass.storage.k8s.io/requests.storage"] = storage;
            usage[$"{storageClass}.storageclass.storage.k8s.io/persistentvolumeclaims"] = 1;
        }
    }

    /// <summary>Per resource, the pod's total as upstream computes it (sidecars, init containers, overhead).</summary>
    public static Dictionary<string, decimal> PodTotal(V1Pod pod, Func<V1ResourceRequirements?, IDictionary<string, ResourceQuantity>?> pick) =>
        PodResources.Total(pod, pick);
}
