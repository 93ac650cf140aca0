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

    public static V1Pod Pod(string name, string app = "web", V1ReplicaSet? owner = null, string? node = null, string phase = "Pending", bool ready = false, DateTimeOffset? created = null, DateTimeOffset? readySince = null, string? ip = null) => new()
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
            PodIP = ip,
            PodIPs = ip is null ? null : [new V1PodIP { Ip = ip }],
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = (readySince ?? Now.AddMinutes(-5)).UtcDateTime }],
        },
    };

    /// <summary>A running pod with an IP on node-1, offering <c>http</c> on 8080.</summary>
    public static V1Pod ServingPod(string name, string ip, bool ready = true, string app = "web")
    {
        var pod = Pod(name, app, node: "node-1", phase: "Running", ready: ready, ip: ip);
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }];
        return pod;
    }

    public static V1Service Service(string name, string app = "web", string clusterIp = "10.43.0.20", params V1ServicePort[] ports) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, ResourceVersion = "1", CreationTimestamp = Now.AddMinutes(-30).UtcDateTime, Labels = new Dictionary<string, string> { ["team"] = "a" } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = app },
            ClusterIP = clusterIp,
            IpFamilies = ["IPv4"],
            Type = "ClusterIP",
            Ports = ports.Length > 0 ? ports : [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = "http" }],
        },
    };

    public static V1Node Node(string name, string? zone = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = "uid-" + name, Labels = zone is null ? null : new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = zone } },
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
