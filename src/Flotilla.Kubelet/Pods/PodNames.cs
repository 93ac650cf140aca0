using Flotilla.Client.Events;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>How the kubelet names a pod and its containers in messages and events.</summary>
public static class PodNames
{
    /// <summary>Upstream format.Pod: <c>name_namespace(uid)</c>.</summary>
    public static string Format(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return $"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";
    }

    /// <summary>The pod, narrowed to one container (<c>fieldPath: spec.containers{name}</c>), for events about it.</summary>
    public static V1ObjectReference Reference(V1Pod pod, string container, bool init) =>
        ObjectReferences.For(pod) with { FieldPath = $"spec.{(init ? "initContainers" : "containers")}{{{container}}}" };
}
