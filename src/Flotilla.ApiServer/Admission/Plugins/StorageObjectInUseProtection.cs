using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's StorageObjectInUseProtection: new claims and volumes carry a protection finalizer, so deleting one that
/// a pod still uses (a claim) or that is still bound (a volume) waits until it is free; <see cref="Protection.StorageProtectionKeeper"/>
/// removes the finalizer then.
/// </summary>
public sealed class StorageObjectInUseProtection : IMutatingAdmission
{
    public const string ClaimFinalizer = "kubernetes.io/pvc-protection";
    public const string VolumeFinalizer = "kubernetes.io/pv-protection";

    public string Name => "StorageObjectInUseProtection";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == AdmissionOperation.Create && request.Object is { } obj)
        {
            var finalizer = request.Is("", "persistentvolumeclaims") ? ClaimFinalizer : request.Is("", "persistentvolumes") ? VolumeFinalizer : null;
            if (finalizer is not null && obj.Metadata.Finalizers?.Contains(finalizer) != true)
            {
                (obj.Metadata.Finalizers ??= []).Add(finalizer);
            }
        }

        return ValueTask.CompletedTask;
    }
}
