using Flotilla.Api.Errors;
using Flotilla.Api.Volumes;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The <c>local-path</c> StorageClass, the cluster's default, created when missing (k3s' local-storage manifest):
/// volumes wait for their first pod's node, and are deleted with their claim.
/// </summary>
public static class DefaultStorageClass
{
    public static async Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var classes = registry.Find("storage.k8s.io", "v1", "storageclasses")!;
        var localPath = new V1StorageClass
        {
            ApiVersion = "storage.k8s.io/v1",
            Kind = "StorageClass",
            Metadata = new V1ObjectMeta
            {
                Name = LocalPath.ClassName,
                Annotations = new Dictionary<string, string> { [StorageAnnotations.DefaultClass] = "true" },
            },
            Provisioner = LocalPath.Provisioner,
            ReclaimPolicy = "Delete",
            VolumeBindingMode = StorageAnnotations.WaitForFirstConsumer,
        };
        try
        {
            await classes.CreateAsync(null, localPath, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "AlreadyExists")
        {
            // Created by an earlier start (and perhaps changed since, which is the administrator's to do).
        }
    }
}
