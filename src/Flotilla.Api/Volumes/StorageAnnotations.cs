namespace Flotilla.Api.Volumes;

/// <summary>The well-known annotations and names by which claims, volumes and classes are bound and provisioned (upstream's storage helpers).</summary>
public static class StorageAnnotations
{
    /// <summary>On a claim or volume: the binder, not the user, set its half of the binding.</summary>
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>On a claim: the binding is complete (a claim without it is still being bound).</summary>
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>On a claim: the provisioner expected to create its volume.</summary>
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";

    /// <summary>The beta spelling of <see cref="StorageProvisioner"/>, still set for provisioners that read only it.</summary>
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>On a claim of a <c>WaitForFirstConsumer</c> class: the node the scheduler placed its first pod on.</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>On a volume: the provisioner that created it (and deletes it).</summary>
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";

    /// <summary>The beta class annotation, which wins over <c>storageClassName</c> when present.</summary>
    public const string BetaStorageClass = "volume.beta.kubernetes.io/storage-class";

    /// <summary>On a StorageClass: the class a claim naming none gets.</summary>
    public const string DefaultClass = "storageclass.kubernetes.io/is-default-class";

    /// <summary>The beta spelling of <see cref="DefaultClass"/>.</summary>
    public const string BetaDefaultClass = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>A class's provisioner that provisions nothing: its claims bind only to volumes made by hand (local volumes).</summary>
    public const string NoProvisioner = "kubernetes.io/no-provisioner";

    /// <summary>A class's binding mode that waits for a pod to be scheduled before binding or provisioning.</summary>
    public const string WaitForFirstConsumer = "WaitForFirstConsumer";

    /// <summary>A StorageClass marked the default, by either annotation (upstream's IsDefaultAnnotation).</summary>
    public static bool IsDefaultClass(k8s.Models.V1ObjectMeta? meta) => Get(meta, DefaultClass) == "true" || Get(meta, BetaDefaultClass) == "true";

    /// <summary>Whether <paramref name="meta"/> carries <paramref name="annotation"/>.</summary>
    public static bool Has(k8s.Models.V1ObjectMeta? meta, string annotation) => meta?.Annotations?.ContainsKey(annotation) == true;

    /// <summary>The value of <paramref name="annotation"/> on <paramref name="meta"/>, or null.</summary>
    public static string? Get(k8s.Models.V1ObjectMeta? meta, string annotation) =>
        meta?.Annotations is { } annotations && annotations.TryGetValue(annotation, out var value) ? value : null;
}
