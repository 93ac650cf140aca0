using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>Objects for the controllers' unit tests, and listers over them (the informers' caches without a server).</summary>
internal static class Make
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static V1ReplicaSet ReplicaSet(string name, int replicas, string app = "web", int minReadySeconds = 0) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = 1, ResourceVersion = "1" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
            },
        },
    };

    public static V1Pod Pod(string name, string app = "web", V1ReplicaSet? owner = null, string? node = null, string phase = "Pending", bool ready = false, DateTimeOffset? created = null, DateTimeOffset? readySince = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            ResourceVersion = "1",
            Labels = new Dictionary<string, string> { ["app"] = app },
            CreationTimestamp = (created ?? Now.AddMinutes(-10)).UtcDateTime,
            OwnerReferences = owner is null ? null : [Flotilla.Controllers.Framework.OwnerReferences.ControllerRef(owner, "apps/v1", "ReplicaSet")],
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = (readySince ?? Now.AddMinutes(-5)).UtcDateTime }],
        },
    };

    public static Lister<T> Lister<T>(params T[] objects)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var indexer = new Indexer<T>();
        foreach (var obj in objects)
        {
            indexer.Upsert(Client.ObjectKeys.Of(obj), obj);
        }

        return new Lister<T>(indexer);
    }
}
