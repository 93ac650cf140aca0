using System.Globalization;
using Flotilla.Api.Resources;
using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Whether the node takes a pod bound to it (upstream's predicateAdmitHandler): it must fit beside the pods already
/// admitted — pod count, then cpu, memory, ephemeral-storage and other resources the node has, against allocatable —
/// and match the node's selector, affinity and NoExecute taints. This matters when the scheduler was bypassed
/// (<c>spec.nodeName</c> set by hand). Only the first failure is reported, as upstream.
/// </summary>
public static class PodAdmission
{
    private static readonly string[] Ordered = ["cpu", "memory", "ephemeral-storage"];

    public sealed record Rejection(string Reason, string Message);

    public static Rejection? Check(V1Pod pod, IReadOnlyCollection<V1Pod> admitted, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(admitted);
        ArgumentNullException.ThrowIfNull(node);
        var allocatable = node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>();
        if (allocatable.TryGetValue("pods", out var pods) && admitted.Count + 1 > pods.ToDecimal())
        {
            return Insufficient("pods", 1, admitted.Count, (long)pods.ToDecimal());
        }

        var requests = PodResources.Requests(pod);
        var used = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var other in admitted)
        {
            foreach (var (name, quantity) in PodResources.Requests(other))
            {
                used[name] = used.GetValueOrDefault(name) + quantity;
            }
        }

        foreach (var name in Ordered.Concat(requests.Keys.Where(k => !Ordered.Contains(k) && allocatable.ContainsKey(k)).Order(StringComparer.Ordinal)))
        {
            var requested = Units(name, requests.GetValueOrDefault(name));
            if (requested <= 0)
            {
                continue;
            }

            var capacity = allocatable.TryGetValue(name, out var q) ? Units(name, q.ToDecimal()) : 0;
            var inUse = Units(name, used.GetValueOrDefault(name));
            if (requested > capacity - inUse)
            {
                return Insufficient(name, requested, inUse, capacity);
            }
        }

        if (!RequiredNodeAffinity.Of(pod).Matches(node))
        {
            return new Rejection("NodeAffinity", "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector");
        }

        var taken = HostPorts(admitted.SelectMany(p => p.Spec.Containers.Concat(p.Spec.InitContainers ?? []))).ToList();
        if (HostPorts(pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? [])).Any(wanted => taken.Any(t => Conflict(t, wanted))))
        {
            return new Rejection("NodePorts", "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports");
        }

        var untolerated = (node.Spec?.Taints ?? []).Any(t => t.Effect == "NoExecute" && !(pod.Spec.Tolerations ?? []).Any(tol => TaintMatching.Tolerates(tol, t)));
        return untolerated
            ? new Rejection("TaintToleration", "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate")
            : null;
    }

    /// <summary>CPU in millicores, everything else in its own units (bytes), as upstream's fit check counts them.</summary>
    private static long Units(string name, decimal value) => name == "cpu" ? (long)Math.Ceiling(value * 1000) : (long)Math.Ceiling(value);

    private static Rejection Insufficient(string name, long requested, long used, long capacity) =>
        new($"OutOf{name}", string.Create(CultureInfo.InvariantCulture, $"Node didn't have enough resource: {name}, requested: {requested}, used: {used}, capacity: {capacity}"));

    private static IEnumerable<(string Ip, string Protocol, int Port)> HostPorts(IEnumerable<V1Container> containers) =>
        containers.SelectMany(c => c.Ports ?? []).Where(p => p.HostPort is > 0).Select(p => (p.HostIP is null or "" ? "0.0.0.0" : p.HostIP, p.Protocol ?? "TCP", p.HostPort!.Value));

    /// <summary>The same port and protocol on the same address, or on all of them (upstream's HostPortInfo).</summary>
    private static bool Conflict((string Ip, string Protocol, int Port) a, (string Ip, string Protocol, int Port) b) =>
        a.Protocol == b.Protocol && a.Port == b.Port && (a.Ip == b.Ip || a.Ip == "0.0.0.0" || b.Ip == "0.0.0.0");
}
