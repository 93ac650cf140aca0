using Flotilla.Api.References;
using Flotilla.Api.Volumes;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Upstream's VolumeBinding: a pod's claims must exist; an unbound claim of an <c>Immediate</c> class keeps the pod
/// waiting until it is bound; a bound volume's node affinity limits the nodes; an unbound claim of a
/// <c>WaitForFirstConsumer</c> class needs a node with a free fitting volume or a class that provisions there
/// (not <c>kubernetes.io/no-provisioner</c>, within <c>allowedTopologies</c>). It gets the chosen node in its
/// <c>volume.kubernetes.io/selected-node</c> annotation at PreBind, and the bind waits until the claim is bound
/// (upstream's bind timeout, 10 minutes); the persistent volume binder binds a fitting volume or has one provisioned.
/// </summary>
public sealed class VolumeBindingPlugin : IPreFilterPlugin, IFilterPlugin, IPreBindPlugin, IEnqueueExtensions
{
    public const string PluginName = "VolumeBinding";

    private static readonly TimeSpan BindTimeout = TimeSpan.FromMinutes(10);

    private readonly IFrameworkHandle _handle;
    private readonly Lister<V1PersistentVolumeClaim> _claims;
    private readonly Lister<V1PersistentVolume> _volumes;
    private readonly Lister<V1StorageClass> _classes;

    public VolumeBindingPlugin(IFrameworkHandle handle)
    {
        _handle = handle;
        _claims = handle.Informers.Informer<V1PersistentVolumeClaim>().Lister;
        _volumes = handle.Informers.Informer<V1PersistentVolume>().Lister;
        _classes = handle.Informers.Informer<V1StorageClass>().Lister;
    }

    public string Name => PluginName;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        var names = PodReferences.ClaimNames(pod).ToList();
        if (names.Count == 0)
        {
            return (null, Status.Skip);
        }

        var claims = new PodClaims();
        foreach (var name in names)
        {
            var claim = _claims.Get(pod.Metadata.NamespaceProperty, name);
            if (claim is null)
            {
                return (null, Status.Unresolvable($"persistentvolumeclaim \"{name}\" not found"));
            }

            if (claim.Metadata.DeletionTimestamp is not null)
            {
                return (null, Status.Unresolvable($"persistentvolumeclaim \"{name}\" is being deleted"));
            }

            if (!string.IsNullOrEmpty(claim.Spec?.VolumeName))
            {
                if (_volumes.Get(claim.Spec.VolumeName) is not { } volume)
                {
                    return (null, Status.Unresolvable($"pvc(s) bound to non-existent pv(s)"));
                }

                claims.BoundVolumes.Add(volume);
            }
            else if (_classes.Get(VolumeMatching.ClassOf(claim))?.VolumeBindingMode == StorageAnnotations.WaitForFirstConsumer)
            {
                claims.Delayed.Add(claim);
            }
            else
            {
                return (null, Status.Unresolvable("pod has unbound immediate PersistentVolumeClaims"));
            }
        }

        state.Write(PluginName, claims);
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var claims = state.Read<PodClaims>(PluginName);
        if (claims is null || node.Node is null)
        {
            return Status.Success;
        }

        foreach (var volume in claims.BoundVolumes)
        {
            if (!VolumeMatching.AdmitsNode(volume, node.Node))
            {
                return Status.Unresolvable("node(s) had volume node affinity conflict");
            }
        }

        // A waiting claim needs a free volume that fits this node, or a class that can provision one here.
        foreach (var claim in claims.Delayed)
        {
            if (VolumeMatching.FindBest(claim, _volumes.List(), node.Node, delayBinding: true) is not null)
            {
                continue;
            }

            var storageClass = _classes.Get(VolumeMatching.ClassOf(claim));
            if (storageClass is null || string.IsNullOrEmpty(storageClass.Provisioner) || storageClass.Provisioner == StorageAnnotations.NoProvisioner
                || !AllowsTopology(storageClass, node.Node))
            {
                return Status.Unresolvable("node(s) didn't find available persistent volumes to bind");
            }
        }

        return Status.Success;
    }

    /// <summary>The class's <c>allowedTopologies</c> admit the node: any term whose every expression holds (none: every node).</summary>
    private static bool AllowsTopology(V1StorageClass storageClass, V1Node node) =>
        storageClass.AllowedTopologies is not { Count: > 0 } terms
        || terms.Any(t => (t.MatchLabelExpressions ?? []).All(e => node.Metadata.Labels?.TryGetValue(e.Key, out var v) == true && e.Values.Contains(v)));

    public async Task<Status> PreBindAsync(CycleState state, V1Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        var claims = state.Read<PodClaims>(PluginName);
        if (claims is null || claims.Delayed.Count == 0)
        {
            return Status.Success;
        }

        foreach (var claim in claims.Delayed)
        {
            var annotations = new System.Text.Json.Nodes.JsonObject { [StorageAnnotations.SelectedNode] = nodeName };
            var patch = new V1Patch(new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["annotations"] = annotations } }.ToJsonString(), V1Patch.PatchType.MergePatch);
            try
            {
                await _handle.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e)
            {
                return Status.Error($"binding volumes: {(int)e.Response.StatusCode} {e.Response.Content}");
            }
        }

        var deadline = _handle.Time.GetUtcNow() + BindTimeout;
        while (claims.Delayed.Any(c => string.IsNullOrEmpty(_claims.Get(c.Metadata.NamespaceProperty, c.Metadata.Name)?.Spec?.VolumeName)))
        {
            if (_handle.Time.GetUtcNow() > deadline)
            {
                return Status.Error("binding volumes: context deadline exceeded");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _handle.Time, cancellationToken);
        }

        return Status.Success;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.PersistentVolumeClaim, ActionType.Add | ActionType.Update),
        new(EventResource.PersistentVolume, ActionType.Add | ActionType.Update),
        new(EventResource.StorageClass, ActionType.Add | ActionType.Update),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel),
    ];
}
