using k8s.Models;

namespace Flotilla.Kubelet.Volumes;

/// <summary>
/// The <c>serviceAccountToken</c> sources of a pod's projected volumes (the <c>kube-api-access-*</c> volume every pod
/// gets): each token is requested bound to the pod, with the source's audience and lifetime, before the pod's
/// containers start. On hollow nodes the tokens are held, not written: files come with the real runtime's volumes.
/// </summary>
public static class ProjectedTokens
{
    /// <summary>Null when every token is at hand; otherwise the FailedMount message of the first volume that failed.</summary>
    public static async Task<string?> EnsureAsync(V1Pod pod, ServiceAccountTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(tokens);
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                if (source.ServiceAccountToken is not { } projection)
                {
                    continue;
                }

                try
                {
                    await tokens.GetAsync(pod.Metadata.NamespaceProperty, pod.Spec.ServiceAccountName ?? "default", Request(pod, projection), cancellationToken);
                }
                catch (TokenException e)
                {
                    return $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {e.Message}";
                }
            }
        }

        return null;
    }

    /// <summary>The TokenRequest of one projection: bound to the pod, with its audience and lifetime.</summary>
    public static Authenticationv1TokenRequest Request(V1Pod pod, V1ServiceAccountTokenProjection projection)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(projection);
        return new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = string.IsNullOrEmpty(projection.Audience) ? null : [projection.Audience],
                ExpirationSeconds = projection.ExpirationSeconds,
                BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            },
        };
    }
}
