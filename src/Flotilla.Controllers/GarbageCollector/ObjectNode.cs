using k8s.Models;

namespace Flotilla.Controllers.GarbageCollector;

/// <summary>
/// One object in the owner graph (upstream's node): who it is, its owners, who depends on it. A virtual node is an
/// owner some dependent names but no informer has shown: it may not exist.
/// </summary>
public sealed class ObjectNode(ObjectIdentity identity)
{
    public ObjectIdentity Identity { get; set; } = identity;

    public IReadOnlyList<V1OwnerReference> Owners { get; set; } = [];

    public HashSet<ObjectNode> Dependents { get; } = [];

    public bool Virtual { get; set; }

    /// <summary>It has a deletionTimestamp.</summary>
    public bool BeingDeleted { get; set; }

    /// <summary>Being deleted in the foreground: it goes when its blocking dependents have gone.</summary>
    public bool DeletingDependents { get; set; }

    /// <summary>Dependents that hold its deletion (their reference to it has <c>blockOwnerDeletion</c>).</summary>
    public IEnumerable<ObjectNode> BlockingDependents() =>
        Dependents.Where(d => d.Owners.Any(o => o.Uid == Identity.Uid && o.BlockOwnerDeletion == true));
}

/// <summary>An object by kind, namespace, name and UID (upstream's objectReference).</summary>
public sealed record ObjectIdentity(string ApiVersion, string Kind, string? Namespace, string Name, string Uid)
{
    public override string ToString() => $"{Kind} {(string.IsNullOrEmpty(Namespace) ? string.Empty : Namespace + "/")}{Name} ({Uid})";
}
