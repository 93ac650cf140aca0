using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>
/// A node and the pods on it (bound or assumed) with their totals, as plugins see it (upstream framework.NodeInfo).
/// </summary>
public sealed class NodeInfo
{
    public V1Node? Node { get; private set; }

    public string Name => Node?.Metadata?.Name ?? string.Empty;

    public List<PodInfo> Pods { get; private init; } = [];

    public List<PodInfo> PodsWithAffinity { get; private init; } = [];

    public List<PodInfo> PodsWithRequiredAntiAffinity { get; private init; } = [];

    public HostPortInfo UsedPorts { get; private init; } = new();

    public Resource Requested { get; private init; } = new();

    /// <summary>Requests with CPU and memory defaulted for containers that set none (scoring uses these).</summary>
    public Resource NonZeroRequested { get; private init; } = new();

    public Resource Allocatable { get; private set; } = new();

    /// <summary>Images on the node by name (each of an image's names), with how many nodes have them.</summary>
    public Dictionary<string, ImageStateSummary> ImageStates { get; private set; } = new(StringComparer.Ordinal);

    public void SetNode(V1Node node)
    {
        Node = node;
        Allocatable = Resource.FromList(node.Status?.Allocatable);
    }

    /// <summary>Replaces the image summaries (the cache computes how many nodes hold each image).</summary>
    public void SetImageStates(Dictionary<string, ImageStateSummary> images)
    {
        ImageStates = images;
    }

    public void RemoveNode()
    {
        Node = null;
    }

    public void AddPod(PodInfo pod)
    {
        Pods.Add(pod);
        if (pod.HasAffinity)
        {
            PodsWithAffinity.Add(pod);
        }

        if (pod.RequiredAntiAffinityTerms.Length > 0)
        {
            PodsWithRequiredAntiAffinity.Add(pod);
        }

        Update(pod, +1);
    }

    /// <summary>Removes the pod with <paramref name="pod"/>'s UID; false when it is not here.</summary>
    public bool RemovePod(V1Pod pod)
    {
        var uid = pod.Metadata?.Uid;
        var index = Pods.FindIndex(p => p.Pod.Metadata?.Uid == uid);
        if (index < 0)
        {
            return false;
        }

        var info = Pods[index];
        Pods.RemoveAt(index);
        PodsWithAffinity.RemoveAll(p => p.Pod.Metadata?.Uid == uid);
        PodsWithRequiredAntiAffinity.RemoveAll(p => p.Pod.Metadata?.Uid == uid);
        Update(info, -1);
        return true;
    }

    public NodeInfo Clone() => new()
    {
        Node = Node,
        Pods = [.. Pods],
        PodsWithAffinity = [.. PodsWithAffinity],
        PodsWithRequiredAntiAffinity = [.. PodsWithRequiredAntiAffinity],
        UsedPorts = UsedPorts.Clone(),
        Requested = Requested.Clone(),
        NonZeroRequested = NonZeroRequested.Clone(),
        Allocatable = Allocatable.Clone(),
        ImageStates = ImageStates,
    };

    private void Update(PodInfo pod, int sign)
    {
        Requested.Add(pod.Requests, sign);
        NonZeroRequested.Add(pod.NonZeroRequests, sign);
        foreach (var container in pod.Pod.Spec?.Containers ?? [])
        {
            foreach (var port in container.Ports ?? [])
            {
                if (sign > 0)
                {
                    UsedPorts.Add(port.HostIP, port.Protocol, port.HostPort ?? 0);
                }
                else
                {
                    UsedPorts.Remove(port.HostIP, port.Protocol, port.HostPort ?? 0);
                }
            }
        }
    }
}
