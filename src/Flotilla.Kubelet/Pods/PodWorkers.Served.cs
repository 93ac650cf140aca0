using Flotilla.Client;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>The pods as the kubelet's API shows them (upstream's pod manager with the status manager's statuses).</summary>
public sealed partial class PodWorkers
{
    /// <summary>Every pod this kubelet runs, static pods included, with the status it last computed.</summary>
    public IReadOnlyList<V1Pod> Pods() => [.. AllPods().Select(WithLatestStatus)];

    /// <summary>One pod by namespace and name, with the status it last computed; null when this kubelet does not run it.</summary>
    public V1Pod? Pod(string ns, string name) => Resolve(ObjectKeys.Of(ns, name)) is { } pod ? WithLatestStatus(pod) : null;

    private V1Pod WithLatestStatus(V1Pod pod) =>
        new() { ApiVersion = "v1", Kind = "Pod", Metadata = pod.Metadata, Spec = pod.Spec, Status = _statuses.Latest(pod.Metadata.Uid) ?? pod.Status };
}
