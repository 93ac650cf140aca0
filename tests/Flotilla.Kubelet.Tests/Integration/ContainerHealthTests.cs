using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// Probes, lifecycle hooks, graceful termination, image pulls and sidecars through the kubelet on a hollow node
/// against a real HTTPS API server, with the events kubectl describe shows.
/// </summary>
public sealed class ContainerHealthTests : Testing.KubeletCluster
{
    [Fact]
    public async Task AFailingLivenessProbe_RestartsTheContainer()
    {
        var app = Container("app", "sleep", "infinity");
        app.LivenessProbe = Exec("exit 1", failures: 1);
        await CreateAsync("sick", "Always", app);

        var pod = await EventuallyAsync(() => ReadAsync("sick"), p => p.Status?.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1);

        Assert.Equal((143, "Error"), (pod.Status.ContainerStatuses.Single().LastState.Terminated.ExitCode, pod.Status.ContainerStatuses.Single().LastState.Terminated.Reason));  // ended on SIGTERM
        var events = await EventuallyAsync(() => EventsAsync("sick"), e => e.Any(x => x.Reason == "Killing"));
        Assert.Contains(("Unhealthy", "Liveness probe failed: "), events);
        Assert.Contains(("Killing", "Container app failed liveness probe, will be restarted"), events);
    }

    [Fact]
    public async Task Readiness_GatesReady()
    {
        var never = Container("app", "sleep", "infinity");
        never.ReadinessProbe = Exec("exit 1");
        await CreateAsync("unready", "Always", never);
        var ready = Container("app", "sleep", "infinity");
        ready.ReadinessProbe = Exec("true");
        await CreateAsync("ready", "Always", ready);

        var up = await EventuallyAsync(() => ReadAsync("ready"), p => Condition(p, "Ready") == "True");
        Assert.True(up.Status.ContainerStatuses.Single().Ready);
        var down = await EventuallyAsync(() => ReadAsync("unready"), p => p.Status?.Phase == "Running");
        Assert.Equal(("False", false, true), (Condition(down, "Ready"), down.Status.ContainerStatuses.Single().Ready, down.Status.ContainerStatuses.Single().Started));
        var events = await EventuallyAsync(() => EventsAsync("unready"), e => e.Contains(("Unhealthy", "Readiness probe failed: ")));
        Assert.DoesNotContain(events, e => e.Reason == "Killing");
    }

    [Fact]
    public async Task AStartupProbe_HoldsBackStartedAndReady_AndRestartsWhenItFails()
    {
        var app = Container("app", "sleep", "infinity");
        app.StartupProbe = Exec("exit 1", failures: 2);
        app.LivenessProbe = Exec("exit 1", failures: 1);
        await CreateAsync("slow-start", "Always", app);

        var pod = await EventuallyAsync(() => ReadAsync("slow-start"), p => p.Status?.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1);

        // Events are posted apart from the status: the restart may show before its Killing event does.
        var events = await EventuallyAsync(() => EventsAsync("slow-start"), e => e.Any(x => x.Reason == "Killing"));
        Assert.Contains(("Killing", "Container app failed startup probe, will be restarted"), events);
        Assert.DoesNotContain(events, e => e.Message.StartsWith("Liveness", StringComparison.Ordinal));
        Assert.False(pod.Status.ContainerStatuses.Single().Ready);
    }

    [Fact]
    public async Task GracefulDeletion_WaitsForThePreStopHook()
    {
        var app = Container("app", "sleep", "infinity");
        app.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", "sleep 20"] } } };  // 2 s at 10x
        await CreateAsync("drain", "Always", app);
        await EventuallyAsync(() => ReadAsync("drain"), p => p.Status?.Phase == "Running");

        var clock = Stopwatch.StartNew();
        await Admin.CoreV1.DeleteNamespacedPodAsync("drain", "default");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.NotNull((await ReadAsync("drain")).Metadata.DeletionTimestamp);  // still there while its hook runs
        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=drain")).Items.Count, n => n == 0);

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(15));
        Assert.Contains(("Killing", "Stopping container app"), await EventsAsync("drain"));
    }

    [Fact]
    public async Task AContainerIgnoringSigterm_IsKilledWhenItsGracePeriodEnds()
    {
        var pod = Pod("stubborn", "Always", Container("app", "sh", "-c", "trap '' TERM; sleep infinity"));
        pod.Spec.TerminationGracePeriodSeconds = 2;
        await Admin.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await EventuallyAsync(() => ReadAsync("stubborn"), p => p.Status?.Phase == "Running");

        var clock = Stopwatch.StartNew();
        await Admin.CoreV1.DeleteNamespacedPodAsync("stubborn", "default");
        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=stubborn")).Items.Count, n => n == 0);

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AFailingPostStartHook_KillsTheContainer()
    {
        var app = Container("app", "sleep", "infinity");
        app.Lifecycle = new V1Lifecycle { PostStart = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", "exit 1"] } } };
        await CreateAsync("hooked", "Always", app);

        await EventuallyAsync(() => ReadAsync("hooked"), p => p.Status?.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1);

        var events = await EventsAsync("hooked");
        Assert.Contains(("FailedPostStartHook", "PostStartHook failed"), events);  // the hook's output stays out of events
        Assert.Contains(("Killing", "FailedPostStartHook"), events);
    }

    [Fact]
    public async Task Images_ArePulledPerPolicy_WithEvents_AndFailuresBackOff()
    {
        await CreateAsync("pulled", "Always", Container("app", "sleep", "infinity"));
        await EventuallyAsync(() => ReadAsync("pulled"), p => p.Status?.Phase == "Running");
        var events = await EventuallyAsync(() => EventsAsync("pulled"), e => e.Any(x => x.Reason == "Started"));
        Assert.Equal(["Pulling", "Pulled", "Created", "Started"], events.Select(e => e.Reason).Where(r => r != "Scheduled"));
        Assert.Contains(events, e => e.Reason == "Pulled" && e.Message.StartsWith("Successfully pulled image \"busybox:1.35\" in ", StringComparison.Ordinal));

        var missing = Container("app", "sleep", "infinity");
        missing.Image = "registry.example.invalid/app:1";
        await CreateAsync("missing", "Always", missing);
        var first = await EventuallyAsync(() => ReadAsync("missing"), p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "ErrImagePull");
        Assert.Contains("not found", first.Status.ContainerStatuses.Single().State.Waiting.Message, StringComparison.Ordinal);
        var later = await EventuallyAsync(() => ReadAsync("missing"), p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "ImagePullBackOff");
        Assert.Equal("Back-off pulling image \"registry.example.invalid/app:1\"", later.Status.ContainerStatuses.Single().State.Waiting.Message);
        Assert.Equal("Pending", later.Status.Phase);

        var never = Container("app", "sleep", "infinity");
        never.Image = "busybox:never-pulled";
        never.ImagePullPolicy = "Never";
        await CreateAsync("never", "Always", never);
        var absent = await EventuallyAsync(() => ReadAsync("never"), p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "ErrImageNeverPull");
        Assert.Equal("Container image \"busybox:never-pulled\" is not present with pull policy of Never", absent.Status.ContainerStatuses.Single().State.Waiting.Message);
    }

    [Fact]
    public async Task ASidecar_RunsBesideTheContainers_AndEndsWithThePod()
    {
        var pod = Pod("with-sidecar", "Never", Container("job", "sh", "-c", "sleep 10; exit 0"));  // 1 s at 10x
        var sidecar = Container("proxy", "sleep", "infinity");
        sidecar.RestartPolicy = "Always";
        pod.Spec.InitContainers = [sidecar];
        await Admin.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var running = await EventuallyAsync(() => ReadAsync("with-sidecar"), p => p.Status?.Phase == "Running");
        Assert.Equal("True", Condition(running, "Initialized"));
        Assert.NotNull(running.Status.InitContainerStatuses.Single().State.Running);
        var done = await EventuallyAsync(() => ReadAsync("with-sidecar"), p => p.Status?.Phase == "Succeeded");
        Assert.Equal(0, done.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
    }

    [Fact]
    public async Task TheTerminationMessage_IsReported()
    {
        await CreateAsync("said", "Never", Container("job", "sh", "-c", "echo 'bad config' > /dev/termination-log; exit 2"));

        var pod = await EventuallyAsync(() => ReadAsync("said"), p => p.Status?.Phase == "Failed");

        Assert.Equal("bad config", pod.Status.ContainerStatuses.Single().State.Terminated.Message);
    }

    private static V1Probe Exec(string script, int failures = 3) => new()
    {
        Exec = new V1ExecAction { Command = ["sh", "-c", script] },
        PeriodSeconds = 1,
        FailureThreshold = failures,
        TimeoutSeconds = 1,
    };
}
