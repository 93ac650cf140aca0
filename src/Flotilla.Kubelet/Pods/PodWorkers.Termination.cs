using Flotilla.Client;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Graceful deletion (upstream syncTerminatingPod): the containers stop together within the pod's grace period, each
/// after its preStop hook; then the sidecars, last started first; then the sandbox; only then does the kubelet delete
/// the pod object (grace 0, bound to its UID), so the object outlives its containers. It runs beside the work queue:
/// a grace period is long, and other pods must not wait for it.
/// </summary>
public sealed partial class PodWorkers
{
    private void BeginTermination(V1Pod pod, List<PodSandboxStatus> sandboxes, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_terminating.TryAdd(uid, done.Task))
        {
            return;  // already under way
        }

        _ = Task.Run(
            async () =>
            {
                var key = ObjectKeys.Of(pod);
                try
                {
                    await TerminateAsync(pod, sandboxes, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException or InvalidOperationException)
                {
                    LogTerminationFailed(_log, key, e.Message);
                    Queue.AddAfter(key, RelistPeriod);
                }
                finally
                {
                    _terminating.TryRemove(uid, out _);
                    done.SetResult();
                    Queue.Add(key);  // a last look: what is left of it goes
                }
            },
            CancellationToken.None);
    }

    private async Task TerminateAsync(V1Pod pod, List<PodSandboxStatus> sandboxes, CancellationToken cancellationToken)
    {
        var grace = GracePeriod(pod);
        var began = _time.GetUtcNow();
        foreach (var sandbox in sandboxes)
        {
            var containers = await _runtime.ListContainersAsync(sandbox.Id, cancellationToken);
            ContainerStatus? Running(V1Container c) => PodStatusBuilder.Latest(containers, c.Name) is { State: ContainerState.Running } r ? r : null;
            var initContainers = pod.Spec.InitContainers ?? [];
            var first = pod.Spec.Containers.Select(c => (Spec: c, Init: false))
                .Concat(initContainers.Where(c => !PodStatusBuilder.IsSidecar(c)).Select(c => (Spec: c, Init: true)))
                .Where(c => Running(c.Spec) is not null)
                .Select(c => KillAsync(pod, sandbox, c.Spec, c.Init, Running(c.Spec)!, grace, null, cancellationToken));
            await Task.WhenAll(first);
            foreach (var sidecar in initContainers.Where(PodStatusBuilder.IsSidecar).Reverse())
            {
                if (Running(sidecar) is { } instance)
                {
                    var left = grace - (_time.GetUtcNow() - began);
                    await KillAsync(pod, sandbox, sidecar, init: true, instance, left > TimeSpan.Zero ? left : TimeSpan.Zero, null, cancellationToken);
                }
            }

            await _runtime.RemovePodSandboxAsync(sandbox.Id, cancellationToken);
        }

        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken: cancellationToken);
            LogDeleted(_log, ObjectKeys.Of(pod));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // Gone already, or replaced by another pod of the same name.
        }

        Forget(pod.Metadata.Uid);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: terminated and deleted")]
    private static partial void LogDeleted(ILogger log, string pod);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: terminating failed, retrying: {Error}")]
    private static partial void LogTerminationFailed(ILogger log, string pod, string error);
}
