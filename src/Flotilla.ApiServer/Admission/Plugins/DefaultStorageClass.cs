using Flotilla.Api.Volumes;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's DefaultStorageClass: a claim created without a class (no <c>storageClassName</c>, not even "", and no
/// beta class annotation) gets the default one — the class annotated <c>is-default-class: "true"</c>, the newest when
/// several are, then the first by name. With no default class the claim keeps none.
/// </summary>
public sealed class DefaultStorageClass(AdmissionLookup lookup) : IMutatingAdmission
{
    public string Name => "DefaultStorageClass";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation != AdmissionOperation.Create || !request.Is("", "persistentvolumeclaims") || request.Object is not V1PersistentVolumeClaim claim)
        {
            return ValueTask.CompletedTask;
        }

        if (claim.Spec?.StorageClassName is not null || StorageAnnotations.Has(claim.Metadata, StorageAnnotations.BetaStorageClass))
        {
            return ValueTask.CompletedTask;
        }

        var chosen = Default(lookup.List<V1StorageClass>("storage.k8s.io", "storageclasses", null));
        if (chosen is not null)
        {
            claim.Spec ??= new V1PersistentVolumeClaimSpec();
            claim.Spec.StorageClassName = chosen.Metadata.Name;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The default class among <paramref name="classes"/>, or null.</summary>
    public static V1StorageClass? Default(IEnumerable<V1StorageClass> classes) =>
        classes
            .Where(c => StorageAnnotations.IsDefaultClass(c.Metadata))
            .OrderByDescending(c => c.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
}
