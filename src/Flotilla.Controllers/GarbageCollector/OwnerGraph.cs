using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Controllers.GarbageCollector;

/// <summary>
/// Upstream's GraphBuilder: every object with its owners and dependents, fed by the metadata informers of every
/// kind. Each change tells what the collector must look at: dependents of a deleted owner, owners deleted with the
/// orphan or foreground policy, owners no informer has shown.
/// </summary>
public sealed class OwnerGraph
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ObjectNode> _nodes = new(StringComparer.Ordinal);

    /// <summary>Called with nodes to attempt to delete (or to finish deleting in the foreground).</summary>
    public Action<ObjectNode> AttemptToDelete { get; set; } = _ => { };

    /// <summary>Called with owners whose dependents must be orphaned.</summary>
    public Action<ObjectNode> AttemptToOrphan { get; set; } = _ => { };

    public ObjectNode? Get(string uid)
    {
        lock (_gate)
        {
            return _nodes.GetValueOrDefault(uid);
        }
    }

    /// <summary>Runs <paramref name="read"/> under the graph's lock (nodes change only under it).</summary>
    public T Read<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read();
        }
    }

    public void Upsert(ObjectMetadata obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata;
        var identity = new ObjectIdentity(obj.ApiVersion, obj.Kind, meta.NamespaceProperty, meta.Name, meta.Uid);
        var owners = (IReadOnlyList<V1OwnerReference>?)meta.OwnerReferences?.ToList() ?? [];
        var finalizers = meta.Finalizers ?? [];
        var toDelete = new List<ObjectNode>();
        var toOrphan = new List<ObjectNode>();
        lock (_gate)
        {
            if (!_nodes.TryGetValue(meta.Uid, out var node))
            {
                node = new ObjectNode(identity);
                _nodes[meta.Uid] = node;
            }
            else if (node.Virtual)
            {
                // An owner seen first as a reference, now seen for real.
                node.Virtual = false;
                node.Identity = identity;
            }

            var removed = node.Owners.Where(o => owners.All(n => n.Uid != o.Uid)).ToList();
            foreach (var owner in removed)
            {
                if (_nodes.TryGetValue(owner.Uid, out var former))
                {
                    former.Dependents.Remove(node);
                    if (former.DeletingDependents)
                    {
                        toDelete.Add(former);  // one blocking dependent fewer
                    }
                }
            }

            foreach (var owner in owners.Where(o => node.Owners.All(n => n.Uid != o.Uid)))
            {
                if (!_nodes.TryGetValue(owner.Uid, out var ownerNode))
                {
                    // Not seen (yet, or ever): the dependent is checked against the API, which tells.
                    ownerNode = new ObjectNode(new ObjectIdentity(owner.ApiVersion, owner.Kind, meta.NamespaceProperty, owner.Name, owner.Uid)) { Virtual = true };
                    _nodes[owner.Uid] = ownerNode;
                    toDelete.Add(node);
                }
                else if (ownerNode.Virtual || ownerNode.BeingDeleted)
                {
                    toDelete.Add(node);
                }

                ownerNode.Dependents.Add(node);
            }

            node.Owners = owners;
            node.BeingDeleted = meta.DeletionTimestamp is not null;
            var foreground = node.BeingDeleted && finalizers.Contains(ForegroundFinalizer);
            if (foreground && !node.DeletingDependents)
            {
                node.DeletingDependents = true;
                toDelete.AddRange(node.Dependents);
            }

            node.DeletingDependents = foreground;
            if (foreground)
            {
                toDelete.Add(node);
            }

            if (node.BeingDeleted && finalizers.Contains(OrphanFinalizer))
            {
                toOrphan.Add(node);
            }
        }

        toDelete.ForEach(AttemptToDelete);
        toOrphan.ForEach(AttemptToOrphan);
    }

    public void Remove(ObjectMetadata obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var toDelete = new List<ObjectNode>();
        lock (_gate)
        {
            if (!_nodes.TryGetValue(obj.Metadata.Uid, out var node))
            {
                return;
            }

            _nodes.Remove(obj.Metadata.Uid);
            toDelete.AddRange(node.Dependents);
            foreach (var owner in node.Owners)
            {
                if (_nodes.TryGetValue(owner.Uid, out var ownerNode))
                {
                    ownerNode.Dependents.Remove(node);
                    if (ownerNode.DeletingDependents)
                    {
                        toDelete.Add(ownerNode);
                    }
                    else if (ownerNode.Virtual && ownerNode.Dependents.Count == 0)
                    {
                        _nodes.Remove(owner.Uid);
                    }
                }
            }

            // Dependents keep pointing at a node that is gone: they see it as virtual from now on.
            if (node.Dependents.Count > 0)
            {
                node.Virtual = true;
                node.BeingDeleted = false;
                node.DeletingDependents = false;
                _nodes[obj.Metadata.Uid] = node;
            }
        }

        toDelete.ForEach(AttemptToDelete);
    }
}
