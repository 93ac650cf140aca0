using k8s.Models;

namespace Flotilla.Api.References;

/// <summary>
/// The Secrets, ConfigMaps, claims and ServiceAccount a pod's spec names (upstream's pkg/api/v1/pod
/// VisitPodSecretNames and VisitPodConfigmapNames, and the Node authorizer's graph): what a kubelet needs to read to
/// run the pod. Names are in the pod's namespace; empty names are skipped; a name may come more than once.
/// </summary>
public static class PodReferences
{
    /// <summary>Image pull secrets, env and envFrom of every container (init and ephemeral too), secret volumes.</summary>
    public static IEnumerable<string> SecretNames(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec;
        if (spec is null)
        {
            return [];
        }

        var names = (spec.ImagePullSecrets ?? []).Select(s => s.Name)
            .Concat(Environments(spec).SelectMany(e =>
                (e.From ?? []).Select(f => f.SecretRef?.Name)
                .Concat((e.Env ?? []).Select(v => v.ValueFrom?.SecretKeyRef?.Name))))
            .Concat((spec.Volumes ?? []).SelectMany(VolumeSecretNames));
        return names.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!);
    }

    /// <summary>Env and envFrom of every container (init and ephemeral too), configMap volumes and projections.</summary>
    public static IEnumerable<string> ConfigMapNames(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec;
        if (spec is null)
        {
            return [];
        }

        var names = Environments(spec).SelectMany(e =>
                (e.From ?? []).Select(f => f.ConfigMapRef?.Name)
                .Concat((e.Env ?? []).Select(v => v.ValueFrom?.ConfigMapKeyRef?.Name)))
            .Concat((spec.Volumes ?? []).SelectMany(v => v.Projected is { } projected
                ? (projected.Sources ?? []).Select(s => s.ConfigMap?.Name)
                : [v.ConfigMap?.Name]));
        return names.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!);
    }

    /// <summary>
    /// PersistentVolumeClaims the pod mounts: named ones, and the claim an ephemeral volume gets
    /// (<c>&lt;pod&gt;-&lt;volume&gt;</c>, upstream's ephemeral.VolumeClaimName).
    /// </summary>
    public static IEnumerable<string> ClaimNames(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            var claim = volume.PersistentVolumeClaim is { } pvc ? pvc.ClaimName
                : volume.Ephemeral is not null ? $"{pod.Metadata?.Name}-{volume.Name}"
                : null;
            if (!string.IsNullOrEmpty(claim))
            {
                yield return claim;
            }
        }
    }

    /// <summary>
    /// ResourceClaims the pod uses (upstream's resourceclaim.Name): a named claim, or the claim made from a template
    /// once the pod's status records it; a template claim not made yet has no name.
    /// </summary>
    public static IEnumerable<string> ResourceClaimNames(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var claim in pod.Spec?.ResourceClaims ?? [])
        {
            var name = claim.ResourceClaimName is { Length: > 0 } direct ? direct
                : claim.ResourceClaimTemplateName is not null ? pod.Status?.ResourceClaimStatuses?.FirstOrDefault(s => s.Name == claim.Name)?.ResourceClaimName
                : null;
            if (!string.IsNullOrEmpty(name))
            {
                yield return name;
            }
        }
    }

    private static IEnumerable<string?> VolumeSecretNames(V1Volume v)
    {
        if (v.Projected is { } projected)
        {
            return (projected.Sources ?? []).Select(s => s.Secret?.Name);
        }

        return
        [
            v.AzureFile?.SecretName,
            v.Cephfs?.SecretRef?.Name,
            v.Cinder?.SecretRef?.Name,
            v.FlexVolume?.SecretRef?.Name,
            v.Rbd?.SecretRef?.Name,
            v.Secret?.SecretName,
            v.ScaleIO?.SecretRef?.Name,
            v.Iscsi?.SecretRef?.Name,
            v.Storageos?.SecretRef?.Name,
            v.Csi?.NodePublishSecretRef?.Name,
        ];
    }

    private static IEnumerable<(IList<V1EnvFromSource>? From, IList<V1EnvVar>? Env)> Environments(V1PodSpec spec) =>
        (spec.InitContainers ?? []).Select(c => ((IList<V1EnvFromSource>?)c.EnvFrom, (IList<V1EnvVar>?)c.Env))
            .Concat((spec.Containers ?? []).Select(c => ((IList<V1EnvFromSource>?)c.EnvFrom, (IList<V1EnvVar>?)c.Env)))
            .Concat((spec.EphemeralContainers ?? []).Select(c => ((IList<V1EnvFromSource>?)c.EnvFrom, (IList<V1EnvVar>?)c.Env)));
}
