using System.Collections.Concurrent;
using Flotilla.Client;
using Flotilla.Client.Events;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Probes;

/// <summary>
/// The probe workers of every pod on the node (upstream's prober manager): one per container and kind of probe, each
/// probing on its own period against the status the kubelet last computed, and the results they settle. A settled
/// result that changes wakes the pod's sync through <c>podChanged</c>.
/// </summary>
public sealed partial class ProbeManager(Prober prober, TimeProvider time, IEventRecorder events, Action<string> podChanged, ILogger log) : IProbeResults
{
    private readonly ConcurrentDictionary<(string Uid, string Container, ProbeKind Kind), ProbeWorker> _workers = new();
    private readonly ConcurrentDictionary<(string ContainerId, ProbeKind Kind), ProbeOutcome> _results = new();
    private readonly ConcurrentDictionary<string, (V1Pod Pod, V1PodStatus Status)> _pods = new(StringComparer.Ordinal);

    internal Prober Prober => prober;

    internal TimeProvider Time => time;

    internal IEventRecorder Events => events;

    public ProbeOutcome? Get(string containerId, ProbeKind kind) => _results.TryGetValue((containerId, kind), out var outcome) ? outcome : null;

    /// <summary>The containers of a spec that can be probed: the regular ones and the sidecars (restartable init containers).</summary>
    public static IEnumerable<(V1Container Container, bool Init)> Probed(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => (c, true)).Concat(spec.Containers.Select(c => (c, false)));
    }

    public static V1Probe? ProbeOf(V1Container container, ProbeKind kind) => kind switch
    {
        ProbeKind.Liveness => container.LivenessProbe,
        ProbeKind.Readiness => container.ReadinessProbe,
        _ => container.StartupProbe,
    };

    /// <summary>After each sync of a live pod: the status its workers probe against, a worker for each probe, and readiness asked at once of containers that just started.</summary>
    public void Update(V1Pod pod, V1PodStatus status)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);
        var uid = pod.Metadata.Uid;
        _pods[uid] = (pod, status);
        foreach (var (container, init) in Probed(pod.Spec))
        {
            foreach (var kind in Enum.GetValues<ProbeKind>())
            {
                if (ProbeOf(container, kind) is { } probe && !_workers.ContainsKey((uid, container.Name, kind)))
                {
                    var worker = new ProbeWorker(this, pod, container, init, kind, probe);
                    if (_workers.TryAdd((uid, container.Name, kind), worker))
                    {
                        worker.Start();
                    }
                }
            }
        }

        foreach (var c in (status.ContainerStatuses ?? []).Concat(status.InitContainerStatuses ?? []))
        {
            if (c is { Started: true, Ready: false, State.Running: not null } && _workers.TryGetValue((uid, c.Name, ProbeKind.Readiness), out var readiness))
            {
                readiness.Trigger();
            }
        }
    }

    /// <summary>The pod is gone or done: its workers stop and their results go.</summary>
    public void Remove(string uid)
    {
        _pods.TryRemove(uid, out _);
        foreach (var key in _workers.Keys.Where(k => k.Uid == uid).ToList())
        {
            if (_workers.TryRemove(key, out var worker))
            {
                worker.Stop();
            }
        }
    }

    /// <summary>Stops every worker (the kubelet is shutting down).</summary>
    public void StopAll()
    {
        foreach (var uid in _pods.Keys.ToList())
        {
            Remove(uid);
        }
    }

    internal (V1Pod Pod, V1PodStatus Status)? View(string uid) => _pods.TryGetValue(uid, out var view) ? view : null;

    internal void Set(V1Pod pod, string containerId, ProbeKind kind, ProbeOutcome outcome)
    {
        var changed = !_results.TryGetValue((containerId, kind), out var before) || before != outcome;
        _results[(containerId, kind)] = outcome;
        if (changed)
        {
            podChanged(ObjectKeys.Of(pod));
        }
    }

    internal void Forget(string containerId, ProbeKind kind) => _results.TryRemove((containerId, kind), out _);

    internal void Finished(ProbeWorker worker, string uid)
    {
        if (_workers.TryGetValue((uid, worker.ContainerName, worker.Kind), out var current) && ReferenceEquals(current, worker))
        {
            _workers.TryRemove((uid, worker.ContainerName, worker.Kind), out _);
        }
    }

    internal void Failed(Exception e, string pod, string container, ProbeKind kind) => LogFailed(log, pod, container, kind, e.Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: {Kind} probe of container {Container} errored: {Error}")]
    private static partial void LogFailed(ILogger log, string pod, string container, ProbeKind kind, string error);
}
