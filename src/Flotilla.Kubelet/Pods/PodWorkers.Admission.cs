using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// The pod-level verdicts of the kubelet: admission when a pod first comes to the node (a rejected pod fails with
/// <c>Pod was rejected: ...</c>), and <c>activeDeadlineSeconds</c> (a pod active longer fails with
/// <c>DeadlineExceeded</c>, its containers stopped).
/// </summary>
public sealed partial class PodWorkers
{
    /// <summary>Admits a pod once (one at a time, so two pods cannot both take the last room); false when it was rejected or must wait.</summary>
    private async Task<bool> AdmitAsync(V1Pod pod, bool running, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata.Uid;
        if (running)
        {
            _admitted.TryAdd(uid, 0);  // adopted: it runs already
        }

        if (_admitted.ContainsKey(uid))
        {
            return true;
        }

        if (_node() is not { } node)
        {
            Queue.AddAfter(ObjectKeys.Of(pod), RelistPeriod);
            return false;
        }

        await _admitting.WaitAsync(cancellationToken);
        try
        {
            var admitted = AllPods().Where(p => p.Metadata.Uid != uid && _admitted.ContainsKey(p.Metadata.Uid) && (_statuses.Latest(p.Metadata.Uid) ?? p.Status)?.Phase is not ("Succeeded" or "Failed")).ToList();
            if (PodAdmission.Check(pod, admitted, node) is { } rejection)
            {
                _events.Event(pod, EventTypes.Warning, rejection.Reason, rejection.Message);
                _statuses.Set(pod, new V1PodStatus
                {
                    Phase = "Failed",
                    Reason = rejection.Reason,
                    Message = "Pod was rejected: " + rejection.Message,
                    QosClass = pod.Status?.QosClass,
                    StartTime = pod.Status?.StartTime ?? Flotilla.Api.Timestamps.Of(_time.GetUtcNow()),
                }, StatusTarget(pod));
                LogRejected(_log, ObjectKeys.Of(pod), rejection.Reason, rejection.Message);
                return false;
            }

            _admitted.TryAdd(uid, 0);
            return true;
        }
        finally
        {
            _admitting.Release();
        }
    }

    /// <summary>Upstream's active deadline handler: the pod fails, its containers stop within the grace period.</summary>
    private async Task ExceedDeadlineAsync(V1Pod pod, PodSandboxStatus sandbox, CancellationToken cancellationToken)
    {
        const string Reason = "DeadlineExceeded";
        const string Message = "Pod was active on the node longer than the specified deadline";
        _events.Event(pod, EventTypes.Normal, Reason, Message);
        var containers = await _runtime.ListContainersAsync(sandbox.Id, cancellationToken);
        var running = pod.Spec.Containers.Select(c => (Spec: c, Init: false))
            .Concat((pod.Spec.InitContainers ?? []).Select(c => (Spec: c, Init: true)))
            .Select(c => (c.Spec, c.Init, Instance: PodStatusBuilder.Latest(containers, c.Spec.Name)))
            .Where(c => c.Instance is { State: ContainerState.Running });
        await Task.WhenAll(running.Select(c => KillAsync(pod, sandbox, c.Spec, c.Init, c.Instance!, GracePeriod(pod), null, cancellationToken)));
        var after = await TerminationMessages.WithLogFallbackAsync(pod, await _runtime.ListContainersAsync(sandbox.Id, cancellationToken), _runtime, cancellationToken);
        var status = PodStatusBuilder.Build(pod, sandbox, after, new Dictionary<string, ContainerWaiting>(), Probes, _runtimeName, _time.GetUtcNow(), new PodFailure(Reason, Message));
        _statuses.Set(pod, status, StatusTarget(pod));
        await _runtime.StopPodSandboxAsync(sandbox.Id, cancellationToken);
        Probes.Remove(pod.Metadata.Uid);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: rejected, {Reason}: {Message}")]
    private static partial void LogRejected(ILogger log, string pod, string reason, string message);
}
