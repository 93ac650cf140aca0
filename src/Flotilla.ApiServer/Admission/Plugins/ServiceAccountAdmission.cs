using System.Security.Cryptography;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's ServiceAccount plugin: a new pod runs as its namespace's <c>default</c> ServiceAccount unless it names
/// one, the account must exist, its image pull secrets are copied when the pod has none, and (unless automounting is
/// off on the pod or the account) every container mounts the <c>kube-api-access-*</c> projected volume — a bound
/// token, the cluster CA and the namespace — at <c>/var/run/secrets/kubernetes.io/serviceaccount</c>.
/// </summary>
public sealed class ServiceAccountAdmission(AdmissionLookup lookup, TimeProvider time) : IMutatingAdmission
{
    public const string DefaultName = "default";
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string VolumePrefix = "kube-api-access-";
    public const string RootCaConfigMap = "kube-root-ca.crt";

    /// <summary>Upstream's WarnOnlyBoundTokenExpirationSeconds: an hour and seven seconds, so the kubelet refreshes early.</summary>
    public const long TokenExpirationSeconds = 3607;

    private const string MirrorAnnotation = "kubernetes.io/config.mirror";

    // The default account is made by a controller just after its namespace: look a few times before giving up.
    private const int DefaultAccountAttempts = 10;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(150);

    // utilrand.String's alphabet: no vowels (no words), no confusable characters.
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public string Name => "ServiceAccount";

    public async ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Is("", "pods") || request.Operation != AdmissionOperation.Create || request.Object is not V1Pod pod)
        {
            return;
        }

        if (pod.Metadata.Annotations?.ContainsKey(MirrorAnnotation) == true)
        {
            return;  // static pods the kubelet mirrors carry no API credentials
        }

        var spec = pod.Spec;
        if (string.IsNullOrEmpty(spec.ServiceAccountName))
        {
            spec.ServiceAccountName = DefaultName;
        }

        var account = await FindAsync(request.Namespace, spec.ServiceAccountName, cancellationToken)
            ?? throw request.Forbidden($"error looking up service account {request.Namespace}/{spec.ServiceAccountName}: serviceaccount \"{spec.ServiceAccountName}\" not found");
        if (spec.AutomountServiceAccountToken ?? account.AutomountServiceAccountToken ?? true)
        {
            MountToken(spec);
        }

        if ((spec.ImagePullSecrets is null || spec.ImagePullSecrets.Count == 0) && account.ImagePullSecrets is { Count: > 0 } pullSecrets)
        {
            spec.ImagePullSecrets = [.. pullSecrets.Select(s => new V1LocalObjectReference { Name = s.Name })];
        }
    }

    private async Task<V1ServiceAccount?> FindAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var attempts = name == DefaultName ? DefaultAccountAttempts : 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(RetryInterval, time, cancellationToken);
            }

            if (await lookup.GetAsync<V1ServiceAccount>(ns, name, cancellationToken) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static void MountToken(V1PodSpec spec)
    {
        var volumeName = spec.Volumes?.FirstOrDefault(v => v.Name.StartsWith(VolumePrefix, StringComparison.Ordinal))?.Name;
        var hasVolume = volumeName is not null;
        volumeName ??= VolumePrefix + RandomNumberGenerator.GetString(NameAlphabet, 5);
        var needsVolume = false;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            if (container.VolumeMounts?.Any(m => m.MountPath == MountPath) == true)
            {
                continue;  // a mount of its own at the path wins
            }

            (container.VolumeMounts ??= []).Add(new V1VolumeMount { Name = volumeName, ReadOnlyProperty = true, MountPath = MountPath });
            needsVolume = true;
        }

        if (!hasVolume && needsVolume)
        {
            (spec.Volumes ??= []).Add(TokenVolume(volumeName));
        }
    }

    private static V1Volume TokenVolume(string name) => new()
    {
        Name = name,
        Projected = new V1ProjectedVolumeSource
        {
            DefaultMode = 420,
            Sources =
            [
                new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = TokenExpirationSeconds } },
                new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = RootCaConfigMap, Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }] } },
            ],
        },
    };
}
