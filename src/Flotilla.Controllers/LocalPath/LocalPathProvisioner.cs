using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.LocalPath;

/// <summary>
/// The provisioner of the default <c>local-path</c> class (k3s' local-path-provisioner, driven as an external
/// provisioner is): for a claim the binder has annotated with this provisioner and the scheduler with its node, a
/// helper pod makes <c>&lt;root&gt;/pvc-&lt;uid&gt;_&lt;ns&gt;_&lt;name&gt;</c> on that node, then a hostPath
/// volume pinned to the node by node affinity and pre-bound to the claim is created (the binder completes the
/// binding). When such a volume is Released with reclaim policy Delete, or deleted, another helper pod removes the
/// directory and the volume goes. The root is the node's <c>flotilla.dev/local-storage-path</c> annotation (its
/// data dir's <c>storage/</c>), else <see cref="Api.Volumes.LocalPath.DefaultRoot"/>.
/// </summary>
public sealed partial class LocalPathProvisioner
{
    public const string Name = "local-path-provisioner";
    public const string ProvisionerName = Api.Volumes.LocalPath.Provisioner;

    /// <summary>The external-provisioner's finalizer: a volume it made is not gone until its directory is.</summary>
    public const string Finalizer = "external-provisioner.volume.kubernetes.io/finalizer";

    private const string ClaimPrefix = "claim:";
    private const string VolumePrefix = "volume:";

    private readonly Lister<V1PersistentVolumeClaim> _claims;
    private readonly Lister<V1PersistentVolume> _volumes;
    private readonly Lister<V1StorageClass> _classes;
    private readonly Lister<V1Node> _nodes;
    private readonly Lister<V1Pod> _pods;
    private readonly IKubernetes _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public LocalPathProvisioner(Lister<V1PersistentVolumeClaim> claims, Lister<V1PersistentVolume> volumes, Lister<V1StorageClass> classes, Lister<V1Node> nodes, Lister<V1Pod> pods, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _claims = claims;
        _volumes = volumes;
        _classes = classes;
        _nodes = nodes;
        _pods = pods;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        Queue = new WorkQueue<string>("local-path", time);
    }

    public WorkQueue<string> Queue { get; }

    public static string ClaimKey(V1PersistentVolumeClaim claim) => ClaimPrefix + ObjectKeys.Of(claim);

    public static string VolumeKey(string volumeName) => VolumePrefix + volumeName;

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var claims = informers.Informer<V1PersistentVolumeClaim>();
        var volumes = informers.Informer<V1PersistentVolume>();
        var pods = informers.Informer<V1Pod>();
        var controller = new LocalPathProvisioner(claims.Lister, volumes.Lister, informers.Informer<V1StorageClass>().Lister, informers.Informer<V1Node>().Lister, pods.Lister, client, events, time, log);
        using var queue = controller.Queue;
        claims.AddEventHandler(new ResourceEventHandler<V1PersistentVolumeClaim>
        {
            OnAdd = (claim, _) => queue.Add(ClaimKey(claim)),
            OnUpdate = (_, claim) => queue.Add(ClaimKey(claim)),
        });
        volumes.AddEventHandler(new ResourceEventHandler<V1PersistentVolume>
        {
            OnAdd = (volume, _) => queue.Add(VolumeKey(volume.Metadata.Name)),
            OnUpdate = (_, volume) => queue.Add(VolumeKey(volume.Metadata.Name)),
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            Filter = pod => pod.Metadata.NamespaceProperty == HelperPods.Namespace && pod.Metadata.Annotations?.ContainsKey(HelperPods.ForAnnotation) == true,
            OnAdd = (pod, _) => queue.Add(pod.Metadata.Annotations[HelperPods.ForAnnotation]),
            OnUpdate = (_, pod) => queue.Add(pod.Metadata.Annotations[HelperPods.ForAnnotation]),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    public Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(ClaimPrefix, StringComparison.Ordinal)
            ? SyncClaimAsync(key, key[ClaimPrefix.Length..], cancellationToken)
            : SyncVolumeAsync(key, key[VolumePrefix.Length..], cancellationToken);
    }

    /// <summary>Where the helper pod stands: done, failed (with why), or still running with this much time left.</summary>
    private (bool Done, string? Failed, TimeSpan Left) HelperState(V1Pod pod)
    {
        if (pod.Status?.Phase == "Succeeded")
        {
            return (true, null, TimeSpan.Zero);
        }

        if (pod.Status?.Phase == "Failed")
        {
            var exit = pod.Status.ContainerStatuses?.FirstOrDefault()?.State?.Terminated;
            return (false, exit is null ? "helper pod failed" : $"helper pod exited with code {exit.ExitCode}: {exit.Reason}", TimeSpan.Zero);
        }

        var age = _time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(pod.Metadata.CreationTimestamp ?? _time.GetUtcNow().UtcDateTime, DateTimeKind.Utc));
        var left = HelperPods.Timeout - age;
        return left > TimeSpan.Zero ? (false, null, left) : (false, $"timeout after {(int)HelperPods.Timeout.TotalSeconds} seconds", TimeSpan.Zero);
    }

    private async Task DeleteHelperAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, HelperPods.Namespace, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
        }
    }

    private string RootOf(string node) =>
        _nodes.Get(node)?.Metadata.Annotations is { } annotations && annotations.TryGetValue(Api.Volumes.LocalPath.StorageRootAnnotation, out var root) && root.Length > 0 ? root : Api.Volumes.LocalPath.DefaultRoot;

    [LoggerMessage(Level = LogLevel.Information, Message = "persistentvolumeclaim {Key}: provisioned volume {Volume} at {Path} on node {Node}")]
    private static partial void LogProvisioned(ILogger log, string key, string volume, string path, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "persistentvolume {Volume}: deleted {Path} on node {Node}")]
    private static partial void LogDeleted(ILogger log, string volume, string path, string node);
}
