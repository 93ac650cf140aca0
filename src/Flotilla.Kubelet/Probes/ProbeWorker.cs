using Flotilla.Client;
using Flotilla.Client.Events;
using k8s.Models;

namespace Flotilla.Kubelet.Probes;

/// <summary>
/// Probes one container for one kind of probe (upstream's prober worker, doProbe): from the container's start after
/// <c>initialDelaySeconds</c>, every <c>periodSeconds</c>; a result settles after <c>successThreshold</c> or
/// <c>failureThreshold</c> runs of the same outcome. Startup probes run until the container has started and hold the
/// others back until then; a failed liveness or startup probe holds until the container is replaced.
/// </summary>
internal sealed class ProbeWorker(ProbeManager manager, V1Pod pod, V1Container container, bool init, ProbeKind kind, V1Probe probe)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Wakeup _trigger = new();
    private readonly string _uid = pod.Metadata.Uid;
    private string? _containerId;
    private ProbeOutcome _lastResult = ProbeOutcome.Unknown;
    private int _resultRun;
    private bool _onHold;

    public string ContainerName => container.Name;

    public ProbeKind Kind => kind;

    private ProbeOutcome Initial => kind switch
    {
        ProbeKind.Liveness => ProbeOutcome.Success,
        ProbeKind.Readiness => ProbeOutcome.Failure,
        _ => ProbeOutcome.Unknown,
    };

    private TimeSpan Period => TimeSpan.FromSeconds(probe.PeriodSeconds is > 0 ? probe.PeriodSeconds.Value : 10);

    public void Start() => _ = RunAsync();

    public void Stop() => _stop.Cancel();

    /// <summary>Probes now rather than at the next period (a container that just started, not yet ready).</summary>
    public void Trigger() => _trigger.Set();

    private async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested && await DoProbeAsync(token))
            {
                await _trigger.WaitAsync(Period, manager.Time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            if (_containerId is not null)
            {
                manager.Forget(_containerId, kind);
            }

            manager.Finished(this, _uid);
            _stop.Dispose();
            _trigger.Dispose();
        }
    }

    /// <summary>One probe; false when this worker has no more to do.</summary>
    private async Task<bool> DoProbeAsync(CancellationToken cancellationToken)
    {
        if (manager.View(_uid) is not var (current, status))
        {
            return true;
        }

        if (status.Phase is "Failed" or "Succeeded")
        {
            return false;
        }

        var c = (init ? status.InitContainerStatuses : status.ContainerStatuses)?.FirstOrDefault(s => s.Name == container.Name);
        if (c?.ContainerID is not { Length: > 0 } id)
        {
            return true;
        }

        if (_containerId != id)
        {
            if (_containerId is not null)
            {
                manager.Forget(_containerId, kind);
            }

            _containerId = id;
            manager.Set(current, id, kind, Initial);
            _onHold = false;
            _resultRun = 0;
            _lastResult = ProbeOutcome.Unknown;
        }

        if (_onHold)
        {
            return true;
        }

        if (c.State?.Running is not { } running)
        {
            manager.Set(current, id, kind, ProbeOutcome.Failure);
            var restarts = init || current.Spec.RestartPolicy != "Never";
            return c.State?.Terminated is null || restarts;
        }

        if (current.Metadata.DeletionTimestamp is not null && kind is ProbeKind.Liveness or ProbeKind.Startup)
        {
            manager.Set(current, id, kind, ProbeOutcome.Success);
            return false;
        }

        if (running.StartedAt is { } started && manager.Time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) < TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0))
        {
            return true;
        }

        if ((c.Started == true) == (kind == ProbeKind.Startup))
        {
            return true;  // startup probes stop once started; the others wait for it
        }

        ProbeResult result;
        try
        {
            result = await manager.Prober.ProbeAsync(probe, status.PodIP, container, id[(id.IndexOf("://", StringComparison.Ordinal) + 3)..], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            manager.Failed(e, ObjectKeys.Of(current), container.Name, kind);
            return true;
        }

        if (result.Outcome == ProbeOutcome.Unknown)
        {
            manager.Events.Event(Pods.PodNames.Reference(current, container.Name, init), EventTypes.Warning, "Unhealthy", $"{kind} probe errored: {result.Output}");
            return true;  // thrown away: it counts towards no threshold
        }

        if (result.Outcome == ProbeOutcome.Failure)
        {
            manager.Events.Event(Pods.PodNames.Reference(current, container.Name, init), EventTypes.Warning, "Unhealthy", $"{kind} probe failed: {result.Output}");
        }
        else if (result.Warning)
        {
            manager.Events.Event(Pods.PodNames.Reference(current, container.Name, init), EventTypes.Warning, "ProbeWarning", $"{kind} probe warning: {result.Output}");
        }

        if (_lastResult == result.Outcome)
        {
            _resultRun++;
        }
        else
        {
            _lastResult = result.Outcome;
            _resultRun = 1;
        }

        var threshold = result.Outcome == ProbeOutcome.Failure ? probe.FailureThreshold ?? 3 : probe.SuccessThreshold ?? 1;
        if (_resultRun < threshold)
        {
            return true;
        }

        manager.Set(current, id, kind, result.Outcome);
        if (kind is ProbeKind.Liveness or ProbeKind.Startup && result.Outcome == ProbeOutcome.Failure)
        {
            _onHold = true;  // until the container is replaced
            _resultRun = 0;
        }

        return true;
    }
}
