using k8s;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>Index functions informers share: each maps an object to the index values it is found under.</summary>
public static class Indexers
{
    public const string Namespace = "namespace";

    public const string NodeName = "spec.nodeName";

    public static IEnumerable<string> ByNamespace(IKubernetesObject<V1ObjectMeta> obj) => [obj.Metadata?.NamespaceProperty ?? string.Empty];

    /// <summary>Pods by the node they are bound to (empty for pods not yet scheduled).</summary>
    public static IEnumerable<string> PodsByNode(V1Pod pod) => [pod.Spec?.NodeName ?? string.Empty];
}
