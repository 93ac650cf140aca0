using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Runtime.Hollow;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// The kubelet's node side against a real HTTPS API server, under its node certificate (NodeRestriction and the
/// Node authorizer apply): registration, status, Lease heartbeats, and registering again after a restart.
/// </summary>
public sealed class KubeletNodeTests : Testing.NodeCluster
{
    private static KubeletOptions Options => new()
    {
        NodeName = "n1",
        Labels = new Dictionary<string, string> { ["flotilla.dev/runtime"] = "hollow" },
        NodeStatusUpdateFrequency = TimeSpan.FromMilliseconds(200),
        NodeLeaseDuration = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task TheNode_Registers_HeartsBeat_AndIsKeptAcrossARestart()
    {
        using (var stop = new CancellationTokenSource())
        {
            var kubelet = KubeletHost.RunAsync(Node, new HollowRuntime(TimeProvider.System), HollowNetworkProber.Instance, Options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token);

            // No controller manager here: the test gives the node its pod subnet, as the node IPAM would. Until then
            // the hollow network is not ready, and neither is the node.
            var registered = await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("n1"), n => n.Status?.Conditions?.Any(c => c.Type == "Ready") == true);
            Assert.Contains("NetworkPluginNotReady", registered.Status.Conditions.Single(c => c.Type == "Ready").Message, StringComparison.Ordinal);
            await Admin.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"podCIDR":"10.42.7.0/24","podCIDRs":["10.42.7.0/24"]}}""", V1Patch.PatchType.StrategicMergePatch), "n1");

            var node = await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("n1"), n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
            Assert.Equal("hollow", node.Metadata.Labels["flotilla.dev/runtime"]);
            Assert.Equal("hollow://0.1.0", node.Status.NodeInfo.ContainerRuntimeVersion);
            Assert.Equal("110", node.Status.Allocatable["pods"].ToString());

            var lease = await EventuallyAsync(() => Admin.CoordinationV1.ReadNamespacedLeaseAsync("n1", "kube-node-lease"), l => l.Spec.RenewTime is not null);
            Assert.Equal(("n1", 2), (lease.Spec.HolderIdentity, lease.Spec.LeaseDurationSeconds));
            Assert.Equal(node.Metadata.Uid, Assert.Single(lease.Metadata.OwnerReferences).Uid);
            await EventuallyAsync(() => Admin.CoordinationV1.ReadNamespacedLeaseAsync("n1", "kube-node-lease"), l => l.Spec.RenewTime > lease.Spec.RenewTime);

            await stop.CancelAsync();
            await kubelet;
        }

        // Someone removed a label the kubelet owns; the kubelet starts again and keeps the same Node.
        var before = await Admin.CoreV1.PatchNodeAsync(new V1Patch("""{"metadata":{"labels":{"kubernetes.io/os":null}}}""", V1Patch.PatchType.MergePatch), "n1");
        using var again = new CancellationTokenSource();
        var restarted = KubeletHost.RunAsync(Node, new HollowRuntime(TimeProvider.System), HollowNetworkProber.Instance, Options, NullLoggerFactory.Instance, TimeProvider.System, again.Token);
        var after = await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("n1"), n => n.Metadata.Labels.ContainsKey("kubernetes.io/os"));
        Assert.Equal(before.Metadata.Uid, after.Metadata.Uid);
        await again.CancelAsync();
        await restarted;
    }

    [Fact]
    public async Task ARuntimeThatIsNotReady_MakesTheNodeNotReady()
    {
        using var stop = new CancellationTokenSource();
        var kubelet = KubeletHost.RunAsync(Node, new DownRuntime(), HollowNetworkProber.Instance, Options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token);

        var node = await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("n1"), n => n.Status?.Conditions?.Any(c => c.Type == "Ready") == true);
        var ready = node.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "KubeletNotReady"), (ready.Status, ready.Reason));
        Assert.Contains("NetworkPluginNotReady", ready.Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await kubelet;
    }

    /// <summary>A runtime whose network is not ready (no CNI config), as containerd reports it; otherwise the hollow one.</summary>
    private sealed class DownRuntime : IContainerRuntime
    {
        private readonly HollowRuntime _hollow = new(TimeProvider.System);

        public Task<RuntimeVersion> VersionAsync(CancellationToken cancellationToken) => Task.FromResult(new RuntimeVersion("containerd", "1.6.20"));

        public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) => Task.FromResult(new RuntimeStatus(true, false, "NetworkPluginNotReady", "cni config uninitialized"));

        public Task UpdatePodCidrAsync(string podCidr, CancellationToken cancellationToken) => _hollow.UpdatePodCidrAsync(podCidr, cancellationToken);

        public Task<IReadOnlyList<RuntimeImage>> ListImagesAsync(CancellationToken cancellationToken) => _hollow.ListImagesAsync(cancellationToken);

        public Task<string?> ImageStatusAsync(string image, CancellationToken cancellationToken) => _hollow.ImageStatusAsync(image, cancellationToken);

        public Task<(long? Uid, string? Name)> ImageUserAsync(string image, CancellationToken cancellationToken) => _hollow.ImageUserAsync(image, cancellationToken);

        public Task<string> PullImageAsync(string image, RegistryAuth? auth, CancellationToken cancellationToken) => _hollow.PullImageAsync(image, auth, cancellationToken);

        public Task<string> RunPodSandboxAsync(PodSandboxConfig config, CancellationToken cancellationToken) => _hollow.RunPodSandboxAsync(config, cancellationToken);

        public Task StopPodSandboxAsync(string sandboxId, CancellationToken cancellationToken) => _hollow.StopPodSandboxAsync(sandboxId, cancellationToken);

        public Task RemovePodSandboxAsync(string sandboxId, CancellationToken cancellationToken) => _hollow.RemovePodSandboxAsync(sandboxId, cancellationToken);

        public Task<IReadOnlyList<PodSandboxStatus>> ListPodSandboxesAsync(CancellationToken cancellationToken) => _hollow.ListPodSandboxesAsync(cancellationToken);

        public Task<string> CreateContainerAsync(string sandboxId, ContainerConfig config, CancellationToken cancellationToken) => _hollow.CreateContainerAsync(sandboxId, config, cancellationToken);

        public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) => _hollow.StartContainerAsync(containerId, cancellationToken);

        public Task StopContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken) => _hollow.StopContainerAsync(containerId, timeout, cancellationToken);

        public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => _hollow.RemoveContainerAsync(containerId, cancellationToken);

        public Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(string? sandboxId, CancellationToken cancellationToken) => _hollow.ListContainersAsync(sandboxId, cancellationToken);

        public Task<ExecResult> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => _hollow.ExecSyncAsync(containerId, command, timeout, cancellationToken);

        public Task<Stream> OpenLogAsync(string containerId, CancellationToken cancellationToken) => _hollow.OpenLogAsync(containerId, cancellationToken);

        public Task<Uri> StreamUrlAsync(StreamRequest request, CancellationToken cancellationToken) => _hollow.StreamUrlAsync(request, cancellationToken);

        public Task<IReadOnlyList<ContainerUsage>> ListContainerUsageAsync(CancellationToken cancellationToken) => _hollow.ListContainerUsageAsync(cancellationToken);

        public Task<NodeUsage> NodeUsageAsync(CancellationToken cancellationToken) => _hollow.NodeUsageAsync(cancellationToken);

        public Task RemoveImageAsync(string imageId, CancellationToken cancellationToken) => _hollow.RemoveImageAsync(imageId, cancellationToken);
    }
}
