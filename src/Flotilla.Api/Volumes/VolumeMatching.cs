using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Api.Volumes;

/// <summary>
/// Which PersistentVolume a claim may bind to (upstream's FindMatchingVolume and the binder's access-mode index): the
/// one already bound to it; otherwise the smallest <c>Available</c> volume of the claim's class, matching its
/// selector, volume mode and access modes, with enough capacity, not being deleted and — when a node is given — whose
/// node affinity admits that node.
/// </summary>
public static class VolumeMatching
{
    /// <param name="node">The node the claim's pod is on or going to (its volume's affinity must admit it); null for none.</param>
    /// <param name="delayBinding">The claim waits for its first consumer: without a node, only a volume already bound to it matches.</param>
    public static V1PersistentVolume? FindBest(V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> volumes, V1Node? node, bool delayBinding)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volumes);
        var requested = Storage(claim.Spec?.Resources?.Requests);
        var requestedClass = ClassOf(claim);
        var selector = claim.Spec?.Selector is { } s ? LabelSelector.FromModel(s) : null;
        V1PersistentVolume? smallest = null;
        foreach (var volume in volumes)
        {
            if (volume.Spec?.ClaimRef is not null && !IsBoundTo(volume, claim))
            {
                continue;
            }

            var capacity = Storage(volume.Spec?.Capacity);
            if (capacity < requested || Mode(claim.Spec?.VolumeMode) != Mode(volume.Spec?.VolumeMode) || volume.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }

            var fitsNode = node is null || AdmitsNode(volume, node);
            if (IsBoundTo(volume, claim))
            {
                // A volume bound to the claim is its volume, or — on a node it does not admit — no volume at all.
                return fitsNode ? volume : null;
            }

            if (node is null && delayBinding)
            {
                continue;
            }

            if (volume.Status?.Phase != "Available"
                || (selector is not null && !selector.Matches(volume.Metadata?.Labels as IReadOnlyDictionary<string, string> ?? volume.Metadata?.Labels?.ToDictionary())))
            {
                continue;
            }

            if (ClassOf(volume) != requestedClass || !fitsNode || !HasAccessModes(volume, claim))
            {
                continue;
            }

            if (smallest is null || Storage(smallest.Spec?.Capacity) > capacity)
            {
                smallest = volume;
            }
        }

        return smallest;
    }

    /// <summary>The volume's <c>claimRef</c> names the claim (by UID too, when the ref has one).</summary>
    public static bool IsBoundTo(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(claim);
        return volume.Spec?.ClaimRef is { } claimRef
            && claimRef.Name == claim.Metadata.Name
            && (claimRef.NamespaceProperty ?? string.Empty) == (claim.Metadata.NamespaceProperty ?? string.Empty)
            && (string.IsNullOrEmpty(claimRef.Uid) || claimRef.Uid == claim.Metadata.Uid);
    }

    /// <summary>The <c>claimRef</c> a volume bound to <paramref name="claim"/> holds.</summary>
    public static V1ObjectReference ClaimReference(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return new V1ObjectReference
        {
            Kind = "PersistentVolumeClaim",
            ApiVersion = "v1",
            NamespaceProperty = claim.Metadata.NamespaceProperty,
            Name = claim.Metadata.Name,
            Uid = claim.Metadata.Uid,
            ResourceVersion = claim.Metadata.ResourceVersion,
        };
    }

    /// <summary>The volume's required node affinity admits the node (a volume without one fits every node).</summary>
    public static bool AdmitsNode(V1PersistentVolume volume, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume.Spec?.NodeAffinity?.Required is not { } required || NodeSelectors.Matches(required, node);
    }

    /// <summary>The class a claim asks for: the beta annotation, else <c>storageClassName</c>, else none ("").</summary>
    public static string ClassOf(V1PersistentVolumeClaim claim) =>
        StorageAnnotations.Get(claim?.Metadata, StorageAnnotations.BetaStorageClass) ?? claim?.Spec?.StorageClassName ?? string.Empty;

    /// <summary>The class a volume belongs to, read as a claim's is.</summary>
    public static string ClassOf(V1PersistentVolume volume) =>
        StorageAnnotations.Get(volume?.Metadata, StorageAnnotations.BetaStorageClass) ?? volume?.Spec?.StorageClassName ?? string.Empty;

    /// <summary>The <c>storage</c> quantity in a resource list, 0 when absent.</summary>
    public static decimal Storage(IDictionary<string, ResourceQuantity>? resources) =>
        resources is not null && resources.TryGetValue("storage", out var q) && q is not null ? q.ToDecimal() : 0m;

    /// <summary>Every access mode the claim asks for is one the volume offers.</summary>
    public static bool HasAccessModes(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(claim);
        var offered = volume.Spec?.AccessModes ?? [];
        return (claim.Spec?.AccessModes ?? []).All(offered.Contains);
    }

    /// <summary>A volume mode, defaulted as the API does.</summary>
    public static string Mode(string? mode) => string.IsNullOrEmpty(mode) ? "Filesystem" : mode;
}
