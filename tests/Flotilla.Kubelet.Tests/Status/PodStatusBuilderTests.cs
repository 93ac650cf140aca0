using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Status;

/// <summary>Upstream getPhase and the container states, table-driven: given these runtime containers, this status.</summary>
public sealed class PodStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly PodSandboxStatus Sandbox = new("s1", new PodSandboxConfig("p", "default", "uid", "p", 0), true, "10.42.0.5", Now);
    private static readonly Dictionary<string, ContainerWaiting> NoBackOff = [];

    private static V1Pod Pod(string policy, params string[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "uid" },
        Spec = new V1PodSpec { RestartPolicy = policy, Containers = [.. containers.Select(c => new V1Container { Name = c, Image = "busybox:1.35" })] },
    };

    private static ContainerStatus Container(string name, ContainerState state, int exitCode = 0, int attempt = 0) =>
        new($"{name}-{attempt}", "s1", name, attempt, "busybox:1.35", "sha256:x", state, Now, Now, state == ContainerState.Exited ? Now : null, exitCode, state == ContainerState.Exited ? (exitCode == 0 ? "Completed" : "Error") : null, null);

    [Theory]
    [InlineData("Always", ContainerState.Running, 0, "Running")]
    [InlineData("Always", ContainerState.Exited, 0, "Running")]     // restarted: Always never ends
    [InlineData("OnFailure", ContainerState.Exited, 1, "Running")]
    [InlineData("OnFailure", ContainerState.Exited, 0, "Succeeded")]
    [InlineData("Never", ContainerState.Exited, 0, "Succeeded")]
    [InlineData("Never", ContainerState.Exited, 2, "Failed")]
    public void ThePhase_IsUpstreams(string policy, ContainerState state, int exitCode, string phase) =>
        Assert.Equal(phase, PodStatusBuilder.Build(Pod(policy, "a"), Sandbox, [Container("a", state, exitCode)], NoBackOff, null, "hollow", Now).Phase);

    [Fact]
    public void ANotYetStartedContainer_IsCreating_AndThePodPending()
    {
        var status = PodStatusBuilder.Build(Pod("Always", "a", "b"), Sandbox, [Container("a", ContainerState.Running)], NoBackOff, null, "hollow", Now);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal("ContainerCreating", status.ContainerStatuses.Single(c => c.Name == "b").State.Waiting.Reason);
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [b]"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal("10.42.0.5", status.PodIP);
    }

    [Fact]
    public void ARestartWaitingOutItsBackOff_IsCrashLoopBackOff_WithTheLastTermination()
    {
        var backOff = new Dictionary<string, ContainerWaiting> { ["a"] = new("CrashLoopBackOff", "back-off 20s restarting failed container=a pod=p_default(uid)") };
        var status = PodStatusBuilder.Build(Pod("Always", "a"), Sandbox, [Container("a", ContainerState.Exited, 1, attempt: 0), Container("a", ContainerState.Exited, 1, attempt: 1)], backOff, null, "hollow", Now);

        var a = status.ContainerStatuses.Single();
        Assert.Equal(("CrashLoopBackOff", 1, 1), (a.State.Waiting.Reason, a.RestartCount, a.LastState.Terminated.ExitCode));
        Assert.Equal("Running", status.Phase);
        Assert.StartsWith("hollow://a-1", a.LastState.Terminated.ContainerID, StringComparison.Ordinal);
    }

    [Fact]
    public void InitContainersNotDone_HoldThePodPending_AndTheContainersInitializing()
    {
        var pod = Pod("Always", "app");
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "busybox:1.35" }];

        var status = PodStatusBuilder.Build(pod, Sandbox, [Container("setup", ContainerState.Running)], NoBackOff, null, "hollow", Now);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal("PodInitializing", status.ContainerStatuses.Single().State.Waiting.Reason);
        var initialized = status.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "containers with incomplete status: [setup]"), (initialized.Status, initialized.Message));
    }

    [Fact]
    public void Conditions_KeepTheirTransitionTime_WhileTheyHold()
    {
        var pod = Pod("Always", "a");
        var first = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, null, "hollow", Now);
        pod.Status = first;

        var later = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, null, "hollow", Now.AddMinutes(5));

        Assert.All(later.Conditions, c => Assert.Equal(Now.UtcDateTime, c.LastTransitionTime));
        Assert.Equal(first.StartTime, later.StartTime);
    }

    [Fact]
    public void ASidecar_CountsAsInitializedOnceStarted_AndTowardsReadiness()
    {
        var pod = Pod("Always", "app");
        pod.Spec.InitContainers = [new V1Container { Name = "proxy", Image = "busybox:1.35", RestartPolicy = "Always", ReadinessProbe = new V1Probe() }];

        var status = PodStatusBuilder.Build(pod, Sandbox, [Container("proxy", ContainerState.Running), Container("app", ContainerState.Running)], NoBackOff, new Results(), "hollow", Now);

        Assert.Equal("Running", status.Phase);
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Initialized").Status);
        var proxy = status.InitContainerStatuses.Single();
        Assert.Equal((true, false), (proxy.Started, proxy.Ready));  // its readiness probe has not succeeded yet
        var ready = status.Conditions.Single(c => c.Type == "ContainersReady");
        Assert.Equal(("False", "containers with unready status: [proxy]"), (ready.Status, ready.Message));

        var probed = PodStatusBuilder.Build(pod, Sandbox, [Container("proxy", ContainerState.Running), Container("app", ContainerState.Running)], NoBackOff, new Results(("hollow://proxy-0", ProbeKind.Readiness, ProbeOutcome.Success)), "hollow", Now);
        Assert.Equal("True", probed.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public void AStartupProbeNotYetPassed_LeavesTheContainerNotStarted()
    {
        var pod = Pod("Always", "a");
        pod.Spec.Containers[0].StartupProbe = new V1Probe();

        var status = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, new Results(("hollow://a-0", ProbeKind.Startup, ProbeOutcome.Unknown)), "hollow", Now);

        Assert.Equal((false, false), (status.ContainerStatuses.Single().Started, status.ContainerStatuses.Single().Ready));
        Assert.Equal("Running", status.Phase);
    }

    [Fact]
    public void ReadinessGates_HoldReady_UntilTheirConditionsAreTrue()
    {
        var pod = Pod("Always", "a");
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "example.com/lb" }];

        var status = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, null, "hollow", Now);

        Assert.Equal("True", status.Conditions.Single(c => c.Type == "ContainersReady").Status);
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ReadinessGatesNotReady", "corresponding condition of pod readiness gate \"example.com/lb\" does not exist."), (ready.Status, ready.Reason, ready.Message));

        pod.Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "example.com/lb", Status = "True" }] };
        var gated = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, null, "hollow", Now);
        Assert.Equal("True", gated.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("example.com/lb", gated.Conditions[0].Type);  // others' conditions are kept, first
    }

    private sealed class Results(params (string Id, ProbeKind Kind, ProbeOutcome Outcome)[] results) : IProbeResults
    {
        public ProbeOutcome? Get(string containerId, ProbeKind kind) =>
            results.Where(r => r.Id == containerId && r.Kind == kind).Select(r => (ProbeOutcome?)r.Outcome).FirstOrDefault();
    }
}
