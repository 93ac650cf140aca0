using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// Pods bound to a hollow node run through the kubelet against a real HTTPS API server: phases, container states,
/// conditions, restart policies with back-off (shortened), init containers, and deletion finished by the kubelet.
/// </summary>
public sealed class PodLifecycleTests : Testing.KubeletCluster
{
    [Fact]
    public async Task ALongRunningPod_IsRunningAndReady_WithAnIpFromTheNodesSubnet()
    {
        await CreateAsync("web", "Always", Container("app", "sleep", "infinity"));

        var pod = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("web", "default"), p => p.Status?.Phase == "Running" && Condition(p, "Ready") == "True");
        Assert.StartsWith("10.42.7.", pod.Status.PodIP, StringComparison.Ordinal);
        Assert.Equal(pod.Status.PodIP, Assert.Single(pod.Status.PodIPs).Ip);
        Assert.NotNull(pod.Status.StartTime);
        foreach (var type in new[] { "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready" })
        {
            Assert.Equal("True", Condition(pod, type));
        }

        var app = Assert.Single(pod.Status.ContainerStatuses);
        Assert.NotNull(app.State.Running);
        Assert.Equal((true, true, 0), (app.Ready, app.Started, app.RestartCount));
        Assert.StartsWith("hollow://", app.ContainerID, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Never", "exit 0", "Succeeded", 0, "Completed")]
    [InlineData("Never", "exit 3", "Failed", 3, "Error")]
    [InlineData("OnFailure", "exit 0", "Succeeded", 0, "Completed")]
    public async Task ContainersThatEnd_EndThePod_AsItsRestartPolicySays(string policy, string script, string phase, int exitCode, string reason)
    {
        var name = $"end-{policy.ToLowerInvariant()}-{exitCode}";
        await CreateAsync(name, policy, Container("job", "sh", "-c", script));

        var pod = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync(name, "default"), p => p.Status?.Phase == phase);
        var terminated = Assert.Single(pod.Status.ContainerStatuses).State.Terminated;
        Assert.Equal((exitCode, reason), (terminated.ExitCode, terminated.Reason));
        Assert.Equal(("False", phase == "Succeeded" ? "PodCompleted" : "PodFailed"), (Condition(pod, "Ready"), pod.Status.Conditions.Single(c => c.Type == "Ready").Reason));
    }

    [Fact]
    public async Task AContainerThatKeepsFailing_IsRestartedWithBackOff_AndShowsCrashLoopBackOff()
    {
        await CreateAsync("crasher", "Always", Container("app", "sh", "-c", "exit 1"));

        var pod = await EventuallyAsync(
            () => Admin.CoreV1.ReadNamespacedPodAsync("crasher", "default"),
            p => p.Status?.ContainerStatuses?.SingleOrDefault() is { RestartCount: >= 2, State.Waiting.Reason: "CrashLoopBackOff" });
        var app = pod.Status.ContainerStatuses.Single();
        Assert.StartsWith("back-off ", app.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Contains("restarting failed container=app pod=crasher_default(", app.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal((1, "Error"), (app.LastState.Terminated.ExitCode, app.LastState.Terminated.Reason));
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("False", Condition(pod, "Ready"));
    }

    [Fact]
    public async Task InitContainers_RunFirst_InOrder_AndAFailingOneFailsANeverRestartingPod()
    {
        var ok = Pod("init-ok", "Always", Container("app", "sleep", "infinity"));
        ok.Spec.InitContainers = [Container("first", "sh", "-c", "exit 0"), Container("second", "sh", "-c", "exit 0")];
        await Admin.CoreV1.CreateNamespacedPodAsync(ok, "default");
        var running = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("init-ok", "default"), p => p.Status?.Phase == "Running");
        Assert.All(running.Status.InitContainerStatuses, s => Assert.Equal((0, "Completed"), (s.State.Terminated.ExitCode, s.State.Terminated.Reason)));
        Assert.Equal("True", Condition(running, "Initialized"));

        var bad = Pod("init-bad", "Never", Container("app", "sleep", "infinity"));
        bad.Spec.InitContainers = [Container("setup", "sh", "-c", "exit 2")];
        await Admin.CoreV1.CreateNamespacedPodAsync(bad, "default");
        var failed = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("init-bad", "default"), p => p.Status?.Phase == "Failed");
        Assert.Equal(2, failed.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("PodInitializing", failed.Status.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal(("False", "ContainersNotInitialized"), (Condition(failed, "Initialized"), failed.Status.Conditions.Single(c => c.Type == "Initialized").Reason));
    }

    [Fact]
    public async Task ADeletedPod_IsStopped_AndTheKubeletFinishesTheDeletion()
    {
        await CreateAsync("doomed", "Always", Container("app", "sleep", "infinity"));
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("doomed", "default"), p => p.Status?.Phase == "Running");

        await Admin.CoreV1.DeleteNamespacedPodAsync("doomed", "default");

        await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "metadata.name=doomed")).Items.Count, n => n == 0);
    }
}
