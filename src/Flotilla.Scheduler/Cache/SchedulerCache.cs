using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.ImageLocality;
using k8s.Models;

namespace Flotilla.Scheduler.Cache;

/// <summary>
/// The scheduler's view of nodes and the pods on them (upstream internal/cache): bound pods from the informer plus
/// <b>assumed</b> pods — placed by this scheduler, bind not yet seen — so consecutive decisions see each other.
/// When the informer reports an assumed pod bound, the assumption is confirmed; a failed bind forgets it.
/// Thread-safe: informer handlers and the scheduling loop call in concurrently.
/// </summary>
public sealed class SchedulerCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodState> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _imageNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _imageSizes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private Snapshot? _snapshot;
    private bool _listChanged = true;

    public int NodeCount
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Values.Count(n => n.Node is not null);
            }
        }
    }

    public bool IsAssumed(V1Pod pod)
    {
        lock (_gate)
        {
            return _pods.TryGetValue(Uid(pod), out var state) && state.Assumed;
        }
    }

    /// <summary>Counts <paramref name="pod"/> (its spec.nodeName set to the chosen node) on that node before the bind.</summary>
    public void AssumePod(PodInfo pod)
    {
        var node = pod.Pod.Spec.NodeName ?? throw new ArgumentException("an assumed pod names its node", nameof(pod));
        lock (_gate)
        {
            if (_pods.ContainsKey(Uid(pod.Pod)))
            {
                throw new InvalidOperationException($"pod {pod.Key} is already in the cache");
            }

            Place(pod, node, assumed: true);
        }
    }

    /// <summary>Takes an assumed pod back after its bind (or a later step) failed.</summary>
    public void ForgetPod(V1Pod pod)
    {
        lock (_gate)
        {
            if (_pods.TryGetValue(Uid(pod), out var state) && state.Assumed)
            {
                Unplace(state);
            }
        }
    }

    public void AddPod(V1Pod pod)
    {
        lock (_gate)
        {
            if (_pods.TryGetValue(Uid(pod), out var state))
            {
                // The informer saw the bind of a pod we assumed (possibly on another node if someone else bound it).
                Unplace(state);
            }

            Place(new PodInfo(pod), pod.Spec.NodeName, assumed: false);
        }
    }

    public void UpdatePod(V1Pod pod) => AddPod(pod);

    public void RemovePod(V1Pod pod)
    {
        lock (_gate)
        {
            if (_pods.TryGetValue(Uid(pod), out var state))
            {
                Unplace(state);
            }
        }
    }

    public void AddOrUpdateNode(V1Node node)
    {
        lock (_gate)
        {
            var name = node.Metadata.Name;
            if (!_nodes.TryGetValue(name, out var info))
            {
                _nodes[name] = info = new NodeInfo();
                _listChanged = true;
            }
            else if (info.Node is null)
            {
                _listChanged = true;
            }

            var before = ImageNamesOf(info.Node);
            if (info.Node is not null)
            {
                RemoveImages(info.Node);
            }

            info.SetNode(node);
            AddImages(node);

            // Nodes sharing an image this node gained or lost score it differently now (its spread changed).
            var after = ImageNamesOf(node);
            before.SymmetricExceptWith(after);
            foreach (var image in before)
            {
                _dirty.UnionWith(_imageNodes.GetValueOrDefault(image) ?? []);
            }

            _dirty.Add(name);
        }
    }

    public void RemoveNode(V1Node node)
    {
        lock (_gate)
        {
            var name = node.Metadata.Name;
            if (!_nodes.TryGetValue(name, out var info))
            {
                return;
            }

            if (info.Node is not null)
            {
                RemoveImages(info.Node);
            }

            _dirty.Add(name);

            // Pods still bound to a removed node stay counted until their own deletes arrive.
            if (info.Pods.Count == 0)
            {
                _nodes.Remove(name);
            }
            else
            {
                info.RemoveNode();
            }

            _listChanged = true;
        }
    }

    /// <summary>Brings <paramref name="snapshot"/> up to date, copying only the nodes that changed since it was last updated.</summary>
    public void UpdateSnapshot(Snapshot snapshot)
    {
        lock (_gate)
        {
            if (snapshot != _snapshot)
            {
                // A snapshot the cache has not fed yet starts from every node.
                _snapshot = snapshot;
                _dirty.UnionWith(_nodes.Keys);
                _dirty.UnionWith(snapshot.Map.Keys);
                _listChanged = true;
            }

            var affinity = false;
            var changed = new List<NodeInfo>(_dirty.Count);
            foreach (var name in _dirty)
            {
                var old = snapshot.Map.GetValueOrDefault(name);
                if (!_nodes.TryGetValue(name, out var info) || info.Node is null)
                {
                    _listChanged |= snapshot.Map.Remove(name);
                    continue;
                }

                var copy = info.Clone();
                copy.SetImageStates(Images(info.Node));
                snapshot.Map[name] = copy;
                changed.Add(copy);
                _listChanged |= old is null;
                affinity |= copy.PodsWithAffinity.Count > 0 || (old?.PodsWithAffinity.Count ?? 0) > 0;
            }

            _dirty.Clear();
            if (_listChanged)
            {
                snapshot.Nodes = [.. snapshot.Map.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];
                snapshot.Positions.Clear();
                for (var i = 0; i < snapshot.Nodes.Count; i++)
                {
                    snapshot.Positions[snapshot.Nodes[i].Name] = i;
                }
            }
            else
            {
                foreach (var copy in changed)
                {
                    snapshot.Nodes[snapshot.Positions[copy.Name]] = copy;
                }
            }

            if (_listChanged || affinity)
            {
                snapshot.WithAffinity = [.. snapshot.Nodes.Where(n => n.PodsWithAffinity.Count > 0)];
                snapshot.WithRequiredAntiAffinity = [.. snapshot.Nodes.Where(n => n.PodsWithRequiredAntiAffinity.Count > 0)];
            }

            _listChanged = false;
        }
    }

    private void Place(PodInfo pod, string? nodeName, bool assumed)
    {
        if (string.IsNullOrEmpty(nodeName))
        {
            return;
        }

        if (!_nodes.TryGetValue(nodeName, out var info))
        {
            // A pod can arrive before its node; the node's object fills in when the node informer catches up.
            _nodes[nodeName] = info = new NodeInfo();
        }

        info.AddPod(pod);
        _pods[Uid(pod.Pod)] = new PodState(pod, nodeName, assumed);
        _dirty.Add(nodeName);
    }

    private void Unplace(PodState state)
    {
        _pods.Remove(Uid(state.Info.Pod));
        _dirty.Add(state.NodeName);
        if (_nodes.TryGetValue(state.NodeName, out var info))
        {
            info.RemovePod(state.Info.Pod);
            if (info.Node is null && info.Pods.Count == 0)
            {
                _nodes.Remove(state.NodeName);
            }
        }
    }

    private static HashSet<string> ImageNamesOf(V1Node? node) =>
        [.. (node?.Status?.Images ?? []).SelectMany(i => i.Names ?? []).Select(ImageNames.Normalize)];

    private void AddImages(V1Node node)
    {
        foreach (var image in node.Status?.Images ?? [])
        {
            foreach (var name in (image.Names ?? []).Select(ImageNames.Normalize))
            {
                if (!_imageNodes.TryGetValue(name, out var nodes))
                {
                    _imageNodes[name] = nodes = new HashSet<string>(StringComparer.Ordinal);
                }

                nodes.Add(node.Metadata.Name);
                _imageSizes[name] = image.SizeBytes ?? 0;
            }
        }
    }

    private void RemoveImages(V1Node node)
    {
        foreach (var name in (node.Status?.Images ?? []).SelectMany(i => i.Names ?? []).Select(ImageNames.Normalize))
        {
            if (_imageNodes.TryGetValue(name, out var nodes) && nodes.Remove(node.Metadata.Name) && nodes.Count == 0)
            {
                _imageNodes.Remove(name);
                _imageSizes.Remove(name);
            }
        }
    }

    private Dictionary<string, ImageStateSummary> Images(V1Node node)
    {
        var images = new Dictionary<string, ImageStateSummary>(StringComparer.Ordinal);
        foreach (var name in (node.Status?.Images ?? []).SelectMany(i => i.Names ?? []).Select(ImageNames.Normalize))
        {
            images[name] = new ImageStateSummary(_imageSizes.GetValueOrDefault(name), _imageNodes.TryGetValue(name, out var nodes) ? nodes.Count : 0);
        }

        return images;
    }

    private static string Uid(V1Pod pod) => pod.Metadata?.Uid ?? throw new ArgumentException("pods in the scheduler's cache have a UID");
}
