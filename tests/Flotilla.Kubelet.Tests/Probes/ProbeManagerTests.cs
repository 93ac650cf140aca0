using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Runtime.Hollow;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kubelet.Tests.Probes;

/// <summary>Upstream's prober worker on a fake clock: periods, thresholds, initial delay, startup gating, and the events.</summary>
public sealed class ProbeManagerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly HollowRuntime _runtime;
    private readonly RecordingEvents _events = new();
    private readonly List<string> _woken = [];
    private readonly ProbeManager _probes;

    public ProbeManagerTests()
    {
        _runtime = new HollowRuntime(_time);
        _probes = new ProbeManager(new Prober(_runtime, HollowNetworkProber.Instance, _time), _time, _events, key => { lock (_woken) { _woken.Add(key); } }, NullLogger.Instance);
    }

    public void Dispose() => _probes.StopAll();

    [Fact]
    public async Task ALivenessProbe_FailsOnlyAfterFailureThresholdRuns_OnePeriodApart()
    {
        var (pod, status, id) = await RunningAsync(new V1Container { Name = "app", LivenessProbe = Exec("exit 1", period: 10, failures: 3) }, started: true);

        _probes.Update(pod, status);
        await EventuallyAsync(() => _events.Recorded.Count == 1);
        Assert.Equal(ProbeOutcome.Success, _probes.Get(id, ProbeKind.Liveness));  // the initial value, until the threshold
        await AdvanceAsync(TimeSpan.FromSeconds(10), () => _events.Recorded.Count == 2);
        Assert.Equal(ProbeOutcome.Success, _probes.Get(id, ProbeKind.Liveness));
        await AdvanceAsync(TimeSpan.FromSeconds(10), () => _probes.Get(id, ProbeKind.Liveness) == ProbeOutcome.Failure);

        Assert.All(_events.Recorded, e => Assert.Equal(("p", "Unhealthy", "Liveness probe failed: "), e));
        Assert.All(_events.FieldPaths, f => Assert.Equal("spec.containers{app}", f));
        lock (_woken)
        {
            Assert.Contains("default/p", _woken);
        }
    }

    [Fact]
    public async Task AReadinessProbe_StartsFailed_AndSucceedsAfterSuccessThresholdRuns()
    {
        var (pod, status, id) = await RunningAsync(new V1Container { Name = "app", ReadinessProbe = Exec("true", period: 5, successes: 3) }, started: true);

        // Two runs come at once: the worker's first, and the one a started but unready container triggers.
        _probes.Update(pod, status);
        await EventuallyAsync(() => _probes.Get(id, ProbeKind.Readiness) is not null);
        Assert.Equal(ProbeOutcome.Failure, _probes.Get(id, ProbeKind.Readiness));
        await Task.Delay(100);
        Assert.Equal(ProbeOutcome.Failure, _probes.Get(id, ProbeKind.Readiness));

        // The third run comes a period later (periods again, should the worker still have been busy with the second).
        for (var i = 0; i < 20 && _probes.Get(id, ProbeKind.Readiness) != ProbeOutcome.Success; i++)
        {
            await Task.Delay(50);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        await EventuallyAsync(() => _probes.Get(id, ProbeKind.Readiness) == ProbeOutcome.Success);
        Assert.Empty(_events.Recorded);
    }

    [Fact]
    public async Task NoProbeRuns_BeforeTheInitialDelay()
    {
        var (pod, status, id) = await RunningAsync(new V1Container { Name = "app", ReadinessProbe = Exec("true", period: 1, delay: 30) }, started: true);

        _probes.Update(pod, status);
        for (var i = 0; i < 29; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.Equal(ProbeOutcome.Failure, _probes.Get(id, ProbeKind.Readiness));
        await AdvanceAsync(TimeSpan.FromSeconds(1), () => _probes.Get(id, ProbeKind.Readiness) == ProbeOutcome.Success);
    }

    [Fact]
    public async Task UntilTheContainerHasStarted_OnlyTheStartupProbeRuns()
    {
        var container = new V1Container { Name = "app", StartupProbe = Exec("true", period: 1), LivenessProbe = Exec("exit 1", period: 1, failures: 1) };
        var (pod, status, id) = await RunningAsync(container, started: false);

        _probes.Update(pod, status);
        await EventuallyAsync(() => _probes.Get(id, ProbeKind.Startup) == ProbeOutcome.Success);
        await AdvanceAsync(TimeSpan.FromSeconds(1), () => true);
        Assert.Equal(ProbeOutcome.Success, _probes.Get(id, ProbeKind.Liveness));  // held back: the initial value
        Assert.Empty(_events.Recorded);

        status.ContainerStatuses[0].Started = true;  // the kubelet saw the startup probe succeed
        _probes.Update(pod, status);
        await AdvanceAsync(TimeSpan.FromSeconds(1), () => _probes.Get(id, ProbeKind.Liveness) == ProbeOutcome.Failure);
    }

    [Fact]
    public async Task RemovingThePod_StopsItsWorkers_AndForgetsTheirResults()
    {
        var (pod, status, id) = await RunningAsync(new V1Container { Name = "app", ReadinessProbe = Exec("true", period: 1) }, started: true);
        _probes.Update(pod, status);
        await AdvanceAsync(TimeSpan.FromSeconds(1), () => _probes.Get(id, ProbeKind.Readiness) == ProbeOutcome.Success);

        _probes.Remove(pod.Metadata.Uid);

        await EventuallyAsync(() => _probes.Get(id, ProbeKind.Readiness) is null);
    }

    private static V1Probe Exec(string script, int period = 10, int failures = 3, int successes = 1, int delay = 0) => new()
    {
        Exec = new V1ExecAction { Command = ["sh", "-c", script] },
        PeriodSeconds = period,
        FailureThreshold = failures,
        SuccessThreshold = successes,
        InitialDelaySeconds = delay,
        TimeoutSeconds = 1,
    };

    private async Task<(V1Pod Pod, V1PodStatus Status, string Id)> RunningAsync(V1Container container, bool started)
    {
        container.Image = "busybox:1.35";
        container.Command = ["sleep", "infinity"];
        await _runtime.UpdatePodCidrAsync("10.42.1.0/24", CancellationToken.None);
        var sandbox = await _runtime.RunPodSandboxAsync(new PodSandboxConfig("p", "default", "uid-p", "p", 0), CancellationToken.None);
        var runtimeId = await _runtime.CreateContainerAsync(sandbox, new ContainerConfig("app", "busybox:1.35", ["sleep", "infinity"], [], 0), CancellationToken.None);
        await _runtime.StartContainerAsync(runtimeId, CancellationToken.None);
        var id = "hollow://" + runtimeId;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "uid-p" },
            Spec = new V1PodSpec { Containers = [container] },
        };
        var status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "10.42.1.2",
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "app",
                    ContainerID = id,
                    Started = started,
                    Ready = false,
                    State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = _time.GetUtcNow().UtcDateTime } },
                },
            ],
        };
        return (pod, status, id);
    }

    private async Task AdvanceAsync(TimeSpan by, Func<bool> until)
    {
        await Task.Delay(10);  // let workers reach their next wait
        _time.Advance(by);
        await EventuallyAsync(until);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
