using Flotilla.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Which pods the workers run — the API's pods bound to this node and the static pods of the manifest directory — and
/// the mirror pods through which the API sees static pods (upstream's mirror client): created for each static pod
/// (annotated <c>kubernetes.io/config.mirror</c>, owned by the Node), recreated when deleted or outdated, removed
/// when the static pod goes. A static pod's status is written to its mirror.
/// </summary>
public sealed partial class PodWorkers
{
    /// <summary>The pod this key names: a static pod wins over its mirror, and a mirror never runs itself.</summary>
    private V1Pod? Resolve(string key)
    {
        if (_static?.Get(key) is { } staticPod)
        {
            return staticPod;
        }

        var (ns, name) = ObjectKeys.Split(key);
        return _pods.Get(ns, name) is { } pod && !StaticPods.IsMirror(pod) ? pod : null;
    }

    private IEnumerable<V1Pod> AllPods() =>
        _pods.List().Where(p => !StaticPods.IsMirror(p)).Concat(_static?.All ?? []);

    /// <summary>Where the pod's status is written: itself, or a static pod's mirror (none yet: not written).</summary>
    private string? StatusTarget(V1Pod pod)
    {
        if (_static?.Get(ObjectKeys.Of(pod)) is null)
        {
            return pod.Metadata.Uid;
        }

        var mirror = _pods.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        return mirror is not null && StaticPods.IsMirror(mirror) && mirror.Metadata.DeletionTimestamp is null ? mirror.Metadata.Uid : null;
    }

    private Task ReadStaticPodsAsync(CancellationToken cancellationToken)
    {
        foreach (var key in _static!.Read())
        {
            Queue.Add(key);
        }

        return Task.CompletedTask;
    }

    /// <summary>Makes the API's mirror of <paramref name="key"/> match the static pod, or go when there is none.</summary>
    private async Task ReconcileMirrorAsync(string key, V1Pod? pod, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var mirror = _pods.Get(ns, name) is { } found && StaticPods.IsMirror(found) ? found : null;
        var isStatic = pod is not null && _static!.Get(key) is not null;
        var current = isStatic && mirror is not null && mirror.Metadata.DeletionTimestamp is null
            && mirror.Metadata.Annotations[StaticPods.MirrorAnnotation] == pod!.Metadata.Annotations[StaticPods.HashAnnotation];
        if (mirror is not null && !current)
        {
            // Outdated, orphaned, or deleted by someone (gracefully: nothing else would finish it).
            await IgnoreGoneAsync(() => _client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = mirror.Metadata.Uid } }, cancellationToken: cancellationToken));
            LogMirror(_log, key, "deleted");
            mirror = null;
        }

        if (isStatic && mirror is null && _node() is { Metadata.Uid: not null } node)
        {
            await IgnoreGoneAsync(() => _client.CoreV1.CreateNamespacedPodAsync(StaticPods.Mirror(pod!, node), ns, cancellationToken: cancellationToken));
            LogMirror(_log, key, "created");
        }
    }

    private static async Task IgnoreGoneAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // Gone already, or there already (the informer will tell).
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "static pod {Pod}: mirror pod {What}")]
    private static partial void LogMirror(ILogger log, string pod, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod workers: reading static pods failed: {Error}")]
    private static partial void LogStaticFailed(ILogger log, string error);
}
