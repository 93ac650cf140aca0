using Flotilla.Client.Informers;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>
/// Deployments against a real API server with the controller manager; <see cref="PlayKubeletAsync"/> makes every new
/// pod Running and Ready, as a kubelet would. Every pod change of a rolling update is checked against its bounds.
/// </summary>
public sealed class DeploymentTests : Testing.ManagedCluster
{
    [Fact]
    public async Task RollingUpdate_StaysWithinSurgeAndUnavailability_AtEveryStep_AndUndoReusesTheOldReplicaSet()
    {
        using var stop = new CancellationTokenSource();
        var kubelet = PlayKubeletAsync(stop.Token);
        await using var informers = new SharedInformerFactory(Admin, TimeProvider.System);
        var pods = informers.Informer<V1Pod>(new InformerOptions { Namespace = "default", LabelSelector = "app=web" });
        var (maxPods, minReady, watching) = (0, int.MaxValue, false);
        void Observe()
        {
            var live = pods.Lister.List().Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            if (Volatile.Read(ref watching))
            {
                maxPods = Math.Max(maxPods, live.Count);
                minReady = Math.Min(minReady, live.Count(Flotilla.Controllers.Framework.Pods.IsReady));
            }
        }

        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (_, _) => Observe(), OnUpdate = (_, _) => Observe(), OnDelete = _ => Observe() });
        informers.Start();

        await Admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 4, "busybox:1.35"), "default");
        await CompleteAsync("web", 4, revision: "1");

        Volatile.Write(ref watching, true);
        await Admin.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", "default");
        await CompleteAsync("web", 4, revision: "2");
        Volatile.Write(ref watching, false);

        Assert.InRange(maxPods, 4, 5);       // replicas + maxSurge (1)
        Assert.InRange(minReady, 3, 4);      // replicas - maxUnavailable (1)
        var sets = (await Admin.AppsV1.ListNamespacedReplicaSetAsync("default")).Items;
        Assert.Equal(2, sets.Count);
        var first = sets.Single(r => r.Spec.Template.Spec.Containers[0].Image == "busybox:1.35");
        Assert.Equal(0, first.Spec.Replicas);

        // Undo, as kubectl does it: the old template back. The old ReplicaSet comes back as revision 3.
        await Admin.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.35"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", "default");
        await CompleteAsync("web", 4, revision: "3");
        sets = (await Admin.AppsV1.ListNamespacedReplicaSetAsync("default")).Items;
        Assert.Equal(2, sets.Count);
        var back = sets.Single(r => r.Metadata.Uid == first.Metadata.Uid);
        Assert.Equal((4, "3", "1"), (back.Spec.Replicas, back.Metadata.Annotations["deployment.kubernetes.io/revision"], back.Metadata.Annotations["deployment.kubernetes.io/revision-history"]));

        var events = (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.kind=Deployment")).Items;
        Assert.Contains(events, e => e.Reason == "ScalingReplicaSet" && e.Source.Component == "deployment-controller" && e.Message.StartsWith("Scaled down replica set web-", StringComparison.Ordinal));
        await stop.CancelAsync();
        await kubelet;
    }

    [Fact]
    public async Task Recreate_ScalesTheOldToZeroBeforeTheNewStarts()
    {
        using var stop = new CancellationTokenSource();
        var kubelet = PlayKubeletAsync(stop.Token);
        var d = Deployment("rec", 2, "busybox:1.35");
        d.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(d, "default");
        await CompleteAsync("rec", 2, revision: "1");

        await Admin.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "rec", "default");
        await CompleteAsync("rec", 2, revision: "2");

        var events = (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=rec")).Items.Select(e => e.Message).ToList();
        var down = events.FindIndex(m => m.StartsWith("Scaled down", StringComparison.Ordinal));
        var secondUp = events.FindLastIndex(m => m.StartsWith("Scaled up", StringComparison.Ordinal));
        Assert.True(down >= 0 && down < secondUp, string.Join(" | ", events));
        await stop.CancelAsync();
        await kubelet;
    }

    [Fact]
    public async Task Scaling_APausedDeployment_ScalesItsReplicaSet_AndSaysItIsPaused()
    {
        var d = Deployment("paused", 2, "busybox:1.35");
        await Admin.AppsV1.CreateNamespacedDeploymentAsync(d, "default");
        await EventuallyAsync(() => Admin.AppsV1.ListNamespacedReplicaSetAsync("default", labelSelector: "app=paused"), l => l.Items.Count == 1 && l.Items[0].Spec.Replicas == 2);

        await Admin.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"paused":true,"replicas":5,"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "paused", "default");

        var status = await EventuallyAsync(() => Admin.AppsV1.ReadNamespacedDeploymentAsync("paused", "default"), x => x.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Reason == "DeploymentPaused") == true);
        Assert.Equal("Unknown", status.Status.Conditions.Single(c => c.Type == "Progressing").Status);
        var sets = await EventuallyAsync(() => Admin.AppsV1.ListNamespacedReplicaSetAsync("default", labelSelector: "app=paused"), l => l.Items[0].Spec.Replicas == 5);
        Assert.Single(sets.Items);  // no rollout while paused
    }

    private async Task CompleteAsync(string name, int replicas, string revision) =>
        await EventuallyAsync(
            () => Admin.AppsV1.ReadNamespacedDeploymentAsync(name, "default"),
            d => d.Status is { } s && s.ObservedGeneration == d.Metadata.Generation && s.UpdatedReplicas == replicas && s.Replicas == replicas &&
                s.AvailableReplicas == replicas && d.Metadata.Annotations?.TryGetValue("deployment.kubernetes.io/revision", out var r) == true && r == revision);

    /// <summary>Every pending pod becomes Running and Ready (a kubelet's report), until stopped.</summary>
    private async Task PlayKubeletAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var pod in (await Admin.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "status.phase=Pending", cancellationToken: CancellationToken.None)).Items)
            {
                var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
                var patch = $$$"""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""";
                try
                {
                    await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, "default", cancellationToken: CancellationToken.None);
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    // Deleted meanwhile.
                }
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static V1Deployment Deployment(string name, int replicas, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "1", MaxUnavailable = "1" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = image }], AutomountServiceAccountToken = false },
            },
        },
    };
}
