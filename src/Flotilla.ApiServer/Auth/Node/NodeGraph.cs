using Flotilla.Api.References;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Node;

/// <summary>
/// Which objects each node may read (upstream's node authorizer Graph). Every edge points toward a node:
/// <c>pod → node</c>; <c>secret, configmap, serviceaccount, pvc, resourceclaim → pod</c>; <c>pv → pvc</c>;
/// <c>secret → pv</c>. An edge into a pod carries the pod's node (its destination), and every vertex counts its
/// out-edges per destination, so "does this secret lead to node n?" is one lookup whatever the number of pods that
/// use it; only edges without a destination (through persistent volumes) are walked. Removing a vertex removes the
/// neighbours left without edges, so objects nobody references leave the graph.
/// </summary>
public sealed class NodeGraph
{
    internal const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    private readonly Lock _gate = new();
    private Dictionary<VertexKey, Vertex> _vertices = [];

    /// <summary>
    /// A pod bound to a node, with what its spec references (immutable once bound, so re-adding replaces). A mirror
    /// pod gets only its node edge: a node must not gain access to anything by creating a pod.
    /// </summary>
    public void AddPod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty ?? string.Empty;
        lock (_gate)
        {
            DeleteVertex(new VertexKey(VertexType.Pod, ns, pod.Metadata.Name));
            var podVertex = GetOrCreate(new VertexKey(VertexType.Pod, ns, pod.Metadata.Name));
            var node = GetOrCreate(new VertexKey(VertexType.Node, string.Empty, pod.Spec.NodeName));
            AddEdge(podVertex, node, node);
            if (pod.Metadata.Annotations?.ContainsKey(MirrorPodAnnotation) == true)
            {
                return;
            }

            void From(VertexType type, IEnumerable<string> names)
            {
                foreach (var name in names)
                {
                    AddEdge(GetOrCreate(new VertexKey(type, ns, name)), podVertex, node);
                }
            }

            // The pod's service account is always related (its token is the kubelet's to request).
            From(VertexType.ServiceAccount, string.IsNullOrEmpty(pod.Spec.ServiceAccountName) ? [] : [pod.Spec.ServiceAccountName]);
            From(VertexType.Secret, PodReferences.SecretNames(pod));
            From(VertexType.ConfigMap, PodReferences.ConfigMapNames(pod));
            From(VertexType.PersistentVolumeClaim, PodReferences.ClaimNames(pod));
            From(VertexType.ResourceClaim, PodReferences.ResourceClaimNames(pod));
        }
    }

    public void DeletePod(string ns, string name)
    {
        lock (_gate)
        {
            DeleteVertex(new VertexKey(VertexType.Pod, ns, name));
        }
    }

    /// <summary>A bound volume relates to its claim, and the secrets the kubelet reads to mount it to the volume.</summary>
    public void AddPersistentVolume(V1PersistentVolume pv)
    {
        ArgumentNullException.ThrowIfNull(pv);
        lock (_gate)
        {
            var key = new VertexKey(VertexType.PersistentVolume, string.Empty, pv.Metadata.Name);
            DeleteVertex(key);
            if (pv.Spec?.ClaimRef is not { } claim)
            {
                return;
            }

            // Which node the claim leads to is not known here (nor fixed): these edges carry no destination.
            var pvVertex = GetOrCreate(key);
            AddEdge(pvVertex, GetOrCreate(new VertexKey(VertexType.PersistentVolumeClaim, claim.NamespaceProperty ?? string.Empty, claim.Name)), null);
            foreach (var (ns, name, kubeletVisible) in PersistentVolumeReferences.SecretNames(pv))
            {
                if (kubeletVisible)
                {
                    AddEdge(GetOrCreate(new VertexKey(VertexType.Secret, ns, name)), pvVertex, null);
                }
            }
        }
    }

    public void DeletePersistentVolume(string name)
    {
        lock (_gate)
        {
            DeleteVertex(new VertexKey(VertexType.PersistentVolume, string.Empty, name));
        }
    }

    /// <summary>Takes the contents of <paramref name="rebuilt"/> (built aside after a relist), in one step.</summary>
    public void ReplaceWith(NodeGraph rebuilt)
    {
        ArgumentNullException.ThrowIfNull(rebuilt);
        Dictionary<VertexKey, Vertex> vertices;
        lock (rebuilt._gate)
        {
            vertices = rebuilt._vertices;
            rebuilt._vertices = [];
        }

        lock (_gate)
        {
            _vertices = vertices;
        }
    }

    /// <summary>Whether the object leads to the node (upstream's hasPathFrom); false for an unknown node or object.</summary>
    public bool HasPath(string nodeName, VertexType type, string ns, string name)
    {
        lock (_gate)
        {
            return _vertices.TryGetValue(new VertexKey(VertexType.Node, string.Empty, nodeName), out var node)
                && _vertices.TryGetValue(new VertexKey(type, ns, name), out var start)
                && Reaches(start, node);
        }
    }

    /// <summary>Whether the graph holds the object (it does while something relates it to a node).</summary>
    public bool Contains(VertexType type, string ns, string name)
    {
        lock (_gate)
        {
            return _vertices.ContainsKey(new VertexKey(type, ns, name));
        }
    }

    // The graph is acyclic (edges go secret → pv → pvc → pod → node), so the walk ends without a visited set.
    private static bool Reaches(Vertex from, Vertex node)
    {
        if (from == node || from.Destinations.ContainsKey(node))
        {
            return true;
        }

        foreach (var (to, destination) in from.Out)
        {
            if (destination is null && Reaches(to, node))
            {
                return true;
            }
        }

        return false;
    }

    private Vertex GetOrCreate(VertexKey key)
    {
        if (!_vertices.TryGetValue(key, out var vertex))
        {
            _vertices[key] = vertex = new Vertex(key);
        }

        return vertex;
    }

    private static void AddEdge(Vertex from, Vertex to, Vertex? destination)
    {
        if (!from.Out.TryAdd(to, destination))
        {
            return;  // named twice by one pod: one edge
        }

        to.In.Add(from);
        if (destination is not null)
        {
            from.Destinations[destination] = from.Destinations.GetValueOrDefault(destination) + 1;
        }
    }

    private void DeleteVertex(VertexKey key)
    {
        if (!_vertices.Remove(key, out var vertex))
        {
            return;
        }

        var neighbours = new List<Vertex>(vertex.Out.Count + vertex.In.Count);
        foreach (var to in vertex.Out.Keys)
        {
            to.In.Remove(vertex);
            neighbours.Add(to);
        }

        foreach (var from in vertex.In)
        {
            from.Out.Remove(vertex, out var destination);
            if (destination is not null && --from.Destinations[destination] == 0)
            {
                from.Destinations.Remove(destination);
            }

            neighbours.Add(from);
        }

        foreach (var neighbour in neighbours)
        {
            if (neighbour.Out.Count == 0 && neighbour.In.Count == 0)
            {
                _vertices.Remove(neighbour.Key);
            }
        }
    }

    private readonly record struct VertexKey(VertexType Type, string Namespace, string Name);

    private sealed class Vertex(VertexKey key)
    {
        public VertexKey Key { get; } = key;

        /// <summary>Out-edges, each with the node it leads to when that is known (an edge into a pod or a node).</summary>
        public Dictionary<Vertex, Vertex?> Out { get; } = [];

        public HashSet<Vertex> In { get; } = [];

        /// <summary>How many out-edges lead to each node.</summary>
        public Dictionary<Vertex, int> Destinations { get; } = [];
    }
}
