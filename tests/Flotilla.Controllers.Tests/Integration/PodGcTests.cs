using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>The pod garbage collector against a real API server, keeping one finished pod and looking every second.</summary>
public sealed class PodGcTests : Testing.ManagedCluster
{
    protected override ControllerManagerOptions Options => new() { TerminatedPodGcThreshold = 1, PodGcPeriod = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task FinishedPodsBeyondTheThreshold_AreDeleted_OldestFirst()
    {
        foreach (var name in new[] { "first", "second", "third" })
        {
            await Admin.CoreV1.CreateNamespacedPodAsync(
                new V1Pod { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1PodSpec { AutomountServiceAccountToken = false, Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] } },
                "default");
            await Task.Delay(1100);   // creation timestamps are to the second
        }

        await Admin.CoreV1.CreateNamespacedPodAsync(
            new V1Pod { Metadata = new V1ObjectMeta { Name = "running" }, Spec = new V1PodSpec { AutomountServiceAccountToken = false, Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] } },
            "default");
        foreach (var name in new[] { "first", "second", "third" })
        {
            await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), name, "default");
        }

        var left = await EventuallyAsync(async () => (await Admin.CoreV1.ListNamespacedPodAsync("default")).Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).ToList(), p => p.Count == 2);
        Assert.Equal(["running", "third"], left);
    }
}
