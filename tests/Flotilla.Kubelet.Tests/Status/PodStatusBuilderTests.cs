using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Status;

/// <summary>Upstream getPhase and the container states, table-driven: given these runtime containers, this status.</summary>
public sealed class PodStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly PodSandboxStatus Sandbox = new("s1", new PodSandboxConfig("p", "default", "uid", "p", 0), true, "10.42.0.5", Now);
    private static readonly Dictionary<string, string> NoBackOff = [];

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
        Assert.Equal(phase, PodStatusBuilder.Build(Pod(policy, "a"), Sandbox, [Container("a", state, exitCode)], NoBackOff, "hollow", Now).Phase);

    [Fact]
    public void ANotYetStartedContainer_IsCreating_AndThePodPending()
    {
        var status = PodStatusBuilder.Build(Pod("Always", "a", "b"), Sandbox, [Container("a", ContainerState.Running)], NoBackOff, "hollow", Now);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal("ContainerCreating", status.ContainerStatuses.Single(c => c.Name == "b").State.Waiting.Reason);
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [b]"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal("10.42.0.5", status.PodIP);
    }

    [Fact]
    public void ARestartWaitingOutItsBackOff_IsCrashLoopBackOff_WithTheLastTermination()
    {
        var backOff = new Dictionary<string, string> { ["a"] = "back-off 20s restarting failed container=a pod=p_default(uid)" };
        var status = PodStatusBuilder.Build(Pod("Always", "a"), Sandbox, [Container("a", ContainerState.Exited, 1, attempt: 0), Container("a", ContainerState.Exited, 1, attempt: 1)], backOff, "hollow", Now);

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

        var status = PodStatusBuilder.Build(pod, Sandbox, [Container("setup", ContainerState.Running)], NoBackOff, "hollow", Now);

        Assert.Equal("Pending", status.Phase);
        Assert.Equal("PodInitializing", status.ContainerStatuses.Single().State.Waiting.Reason);
        var initialized = status.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "containers with incomplete status: [setup]"), (initialized.Status, initialized.Message));
    }

    [Fact]
    public void Conditions_KeepTheirTransitionTime_WhileTheyHold()
    {
        var pod = Pod("Always", "a");
        var first = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, "hollow", Now);
        pod.Status = first;

        var later = PodStatusBuilder.Build(pod, Sandbox, [Container("a", ContainerState.Running)], NoBackOff, "hollow", Now.AddMinutes(5));

        Assert.All(later.Conditions, c => Assert.Equal(Now.UtcDateTime, c.LastTransitionTime));
        Assert.Equal(first.StartTime, later.StartTime);
    }
}
