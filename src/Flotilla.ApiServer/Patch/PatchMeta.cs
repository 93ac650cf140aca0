namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Patch metadata of the <c>k8s.Models</c> types, as upstream declares it on the Go types. The strategic merge patch
/// reads it; the OpenAPI generator can publish it as <c>x-kubernetes-patch-strategy</c>, <c>x-kubernetes-patch-merge-key</c>,
/// <c>x-kubernetes-list-type</c> and <c>x-kubernetes-list-map-keys</c>.
/// </summary>
public static class PatchMeta
{
    public static PatchMetaTable Kubernetes { get; } = new(KubernetesPatchTags.Build());

    /// <summary>The field <paramref name="jsonField"/> of <paramref name="ownerType"/> (e.g. <c>V1PodSpec</c>, <c>containers</c>); null if none.</summary>
    public static PatchFieldMeta? For(Type ownerType, string jsonField) => Kubernetes.For(ownerType, jsonField);
}
