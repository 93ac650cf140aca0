using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// The kubelet's own verdicts on pods, against a real HTTPS API server: admission against the node's allocatable and
/// labels (pods placed by hand), <c>activeDeadlineSeconds</c>, and a restarted kubelet adopting what runs.
/// </summary>
public sealed class PodVerdictTests : Testing.KubeletCluster
{
    [Fact]
    public async Task APodThatDoesNotFit_IsRejected_AsUpstreamWordsIt()
    {
        var big = Container("app", "sleep", "infinity");
        big.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("5") } };
        await CreateAsync("too-big", "Always", big);
        var elsewhere = Pod("elsewhere", "Always", Container("app", "sleep", "infinity"));
        elsewhere.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        await Admin.CoreV1.CreateNamespacedPodAsync(elsewhere, "default");

        var rejected = await EventuallyAsync(() => ReadAsync("too-big"), p => p.Status?.Phase == "Failed");
        Assert.Equal(("OutOfcpu", "Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"), (rejected.Status.Reason, rejected.Status.Message));
        // The event is posted apart from the status: wait for it.
        var outOfCpu = ("OutOfcpu", "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000");
        Assert.Contains(outOfCpu, await EventuallyAsync(() => EventsAsync("too-big"), e => e.Contains(outOfCpu)));
        var unmatched = await EventuallyAsync(() => ReadAsync("elsewhere"), p => p.Status?.Phase == "Failed");
        Assert.Equal("NodeAffinity", unmatched.Status.Reason);
        Assert.Empty(await Runtime.ListPodSandboxesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task PodsThatFitTogether_AreAdmitted_AndTheOneTooMany_IsNot()
    {
        foreach (var name in new[] { "half-1", "half-2", "half-3" })
        {
            var app = Container("app", "sleep", "infinity");
            app.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } };
            await CreateAsync(name, "Always", app);
        }

        var phases = await EventuallyAsync(
            async () => (await Admin.CoreV1.ListNamespacedPodAsync("default")).Items.Select(p => p.Status?.Phase).ToList(),
            p => p.Count(x => x == "Running") == 2 && p.Count(x => x == "Failed") == 1);
        Assert.Equal(3, phases.Count);
    }

    [Fact]
    public async Task APodActiveLongerThanItsDeadline_Fails()
    {
        var pod = Pod("deadline", "Always", Container("app", "sleep", "infinity"));
        pod.Spec.ActiveDeadlineSeconds = 2;
        await Admin.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var failed = await EventuallyAsync(() => ReadAsync("deadline"), p => p.Status?.Phase == "Failed");

        Assert.Equal(("DeadlineExceeded", "Pod was active on the node longer than the specified deadline"), (failed.Status.Reason, failed.Status.Message));
        Assert.NotNull(failed.Status.ContainerStatuses.Single().State.Terminated);
        Assert.Contains(("DeadlineExceeded", "Pod was active on the node longer than the specified deadline"), await EventsAsync("deadline"));
    }

    [Fact]
    public async Task ARestartedKubelet_AdoptsRunningContainers_WithoutRestartingThem()
    {
        await CreateAsync("steady", "Always", Container("app", "sleep", "infinity"));
        var before = await EventuallyAsync(() => ReadAsync("steady"), p => p.Status?.Phase == "Running");

        await RestartKubeletAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));

        var after = await ReadAsync("steady");
        var (was, now) = (before.Status.ContainerStatuses.Single(), after.Status.ContainerStatuses.Single());
        Assert.Equal((was.ContainerID, 0), (now.ContainerID, now.RestartCount));
        Assert.Single(await Runtime.ListPodSandboxesAsync(CancellationToken.None));
        Assert.Equal("Running", after.Status.Phase);
    }
}
