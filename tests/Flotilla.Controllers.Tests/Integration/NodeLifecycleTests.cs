using System.Globalization;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>
/// Node IPAM, the node lifecycle and taint eviction controllers against a real API server and the default scheduler,
/// with timings shortened (grace 4 s, monitor 1 s). The test plays three kubelets: it posts their Ready status and
/// renews their Leases, then stops one; a ReplicaSet's pod there is evicted and replaced on another node.
/// </summary>
public sealed class NodeLifecycleTests : Testing.ManagedCluster
{
    protected override ControllerManagerOptions Options => new()
    {
        NodeMonitorPeriod = TimeSpan.FromSeconds(1),
        NodeMonitorGracePeriod = TimeSpan.FromSeconds(4),
        NodeStartupGracePeriod = TimeSpan.FromSeconds(4),
    };

    protected override bool WithScheduler => true;

    [Fact]
    public async Task ASilentNode_IsUnknownAndTainted_ItsPodsNotReadyThenEvicted_UntilItComesBack()
    {
        string[] names = ["node-a", "node-b", "node-c"];
        foreach (var name in names)
        {
            await Admin.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } } });
            await PostReadyAsync(name);
        }

        // Every node gets its own /24 of 10.42.0.0/16.
        var nodes = await EventuallyAsync(async () => (await Admin.CoreV1.ListNodeAsync()).Items, n => n.All(x => x.Spec?.PodCIDR is not null));
        Assert.Equal(3, nodes.Select(n => n.Spec.PodCIDR).Distinct().Count());
        Assert.All(nodes, n => Assert.Matches(@"^10\.42\.\d+\.0/24$", n.Spec.PodCIDR));
        Assert.All(nodes, n => Assert.Equal([n.Spec.PodCIDR], n.Spec.PodCIDRs));

        var quick = await Admin.CoreV1.CreateNamespacedPodAsync(Pod("quick", "node-a", tolerationSeconds: 2), "default");
        await Admin.CoreV1.CreateNamespacedPodAsync(Pod("patient", "node-a", tolerationSeconds: null), "default");
        await Admin.CoreV1.CreateNamespacedPodAsync(Pod("elsewhere", "node-b", tolerationSeconds: 2), "default");
        foreach (var pod in new[] { "quick", "patient", "elsewhere" })
        {
            await PodReadyAsync(pod);
        }

        using var stop = new CancellationTokenSource();
        var alive = new HashSet<string>(names);
        var kubelets = RenewLeasesAsync(alive, stop.Token);

        // A ReplicaSet spread over the three nodes, tolerating an unreachable node for 2 s.
        await Admin.AppsV1.CreateNamespacedReplicaSetAsync(SpreadReplicaSet(), "default");
        var placed = await EventuallyAsync(() => WebPodsAsync(), p => p.Count == 3 && p.Select(x => x.Spec.NodeName).Distinct().Count() == 3);
        var victim = placed.Single(p => p.Spec.NodeName == "node-a");

        // node-a goes silent.
        lock (alive)
        {
            alive.Remove("node-a");
        }

        var silent = await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("node-a"), n => n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute") == true);
        var ready = silent.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."), (ready.Status, ready.Reason, ready.Message));
        Assert.Contains(silent.Spec.Taints, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoSchedule" && t.TimeAdded is not null);
        Assert.Equal("False", (await Admin.CoreV1.ReadNamespacedPodAsync("patient", "default")).Status.Conditions.Single(c => c.Type == "Ready").Status);

        // Tolerated for 2 s: then marked and deleted (graceful: no kubelet finishes it, so it stays terminating).
        var evicted = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("quick", "default"), p => p.Metadata.DeletionTimestamp is not null);
        var disruption = evicted.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint"), (disruption.Status, disruption.Reason, disruption.Message));
        Assert.Equal(quick.Metadata.Uid, evicted.Metadata.Uid);
        Assert.Null((await Admin.CoreV1.ReadNamespacedPodAsync("patient", "default")).Metadata.DeletionTimestamp);   // 300 s by admission
        Assert.Null((await Admin.CoreV1.ReadNamespacedPodAsync("elsewhere", "default")).Metadata.DeletionTimestamp);
        Assert.DoesNotContain((await Admin.CoreV1.ReadNodeAsync("node-b")).Spec.Taints ?? [], t => t.Effect == "NoExecute");

        // The ReplicaSet's pod on node-a is evicted too, and its replacement lands on a node that answers.
        var replaced = await EventuallyAsync(() => WebPodsAsync(), p => p.Count == 3 && p.All(x => x.Spec.NodeName is "node-b" or "node-c") && p.All(x => x.Metadata.Uid != victim.Metadata.Uid));
        Assert.Equal(3, replaced.Count);

        // node-a comes back: the taints go, and the patient pod's pending deletion is called off.
        lock (alive)
        {
            alive.Add("node-a");
        }

        await PostReadyAsync("node-a");
        await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("node-a"), n => n.Spec.Taints is null || n.Spec.Taints.Count == 0);
        var events = await EventuallyAsync(
            async () => (await Admin.CoreV1.ListNamespacedEventAsync("default")).Items,
            e => e.Any(x => x.Reason == "TaintManagerEviction" && x.Message == "Cancelling deletion of Pod default/patient"));
        Assert.Contains(events, e => e.Reason == "NodeNotReady" && e.InvolvedObject.Kind == "Node" && e.Source.Component == "node-controller");
        Assert.Contains(events, e => e.Reason == "TaintManagerEviction" && e.Message == "Marking for deletion Pod default/quick" && e.Source.Component == "taint-eviction-controller");
        Assert.Contains(events, e => e.Reason == "RegisteredNode" && e.InvolvedObject.Name == "node-c");

        await stop.CancelAsync();
        await kubelets;
    }

    /// <summary>The ReplicaSet's pods not being deleted, once bound.</summary>
    private async Task<List<V1Pod>> WebPodsAsync() =>
        [.. (await Admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web")).Items.Where(p => p.Metadata.DeletionTimestamp is null && p.Spec.NodeName is not null)];

    private static V1ReplicaSet SpreadReplicaSet() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = 3,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec
                {
                    AutomountServiceAccountToken = false,
                    Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }],
                    Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 2 }],
                    TopologySpreadConstraints =
                    [
                        new V1TopologySpreadConstraint
                        {
                            MaxSkew = 1,
                            TopologyKey = "kubernetes.io/hostname",
                            WhenUnsatisfiable = "ScheduleAnyway",
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                        },
                    ],
                },
            },
        },
    };

    private async Task RenewLeasesAsync(HashSet<string> alive, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string[] renew;
            lock (alive)
            {
                renew = [.. alive];
            }

            foreach (var name in renew)
            {
                var lease = new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = name },
                    Spec = new V1LeaseSpec { HolderIdentity = name, LeaseDurationSeconds = 40, RenewTime = DateTime.UtcNow },
                };
                try
                {
                    var current = await Admin.CoordinationV1.ReadNamespacedLeaseAsync(name, "kube-node-lease", cancellationToken: cancellationToken);
                    lease.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                    await Admin.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, "kube-node-lease", cancellationToken: cancellationToken);
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    await Admin.CoordinationV1.CreateNamespacedLeaseAsync(lease, "kube-node-lease", cancellationToken: cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PostReadyAsync(string node)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var patch = $$$"""{"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"{{{now}}}","lastTransitionTime":"{{{now}}}"}]}}""";
        await Admin.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), node);
    }

    private async Task PodReadyAsync(string pod)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var patch = $$$"""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""";
        await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod, "default");
    }

    private static V1Pod Pod(string name, string node, long? tolerationSeconds) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeName = node,
            AutomountServiceAccountToken = false,
            Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }],
            Tolerations = tolerationSeconds is { } seconds
                ? [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = seconds }]
                : null,
        },
    };
}
