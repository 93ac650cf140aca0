using System.Net;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime.Hollow;
using Flotilla.Kubelet.Server;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Kubelet.Tests.Testing;

/// <summary>
/// <see cref="NodeCluster"/> with node <c>n1</c>'s kubelet running on a hollow runtime ten times faster than real
/// time, back-offs shortened, and the node given its pod subnet; pods here are bound to <c>n1</c>.
/// </summary>
public abstract class KubeletCluster : NodeCluster
{
    private CancellationTokenSource _stop = null!;
    private Task _kubelet = null!;

    protected HollowRuntime Runtime { get; private set; } = null!;

    /// <summary>Node n1's kubelet API (on 127.0.0.1, any port), when <see cref="ServesApi"/>.</summary>
    protected KubeletServer? Server { get; private set; }

    /// <summary>Whether n1's kubelet serves its API, with a serving certificate from the cluster CA.</summary>
    protected virtual bool ServesApi => false;

    /// <summary>The kubelet's static pod directory, for tests of static pods.</summary>
    protected virtual string? StaticPodPath => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Runtime = new HollowRuntime(TimeProvider.System, speed: 10);
        if (ServesApi)
        {
            var serving = Pki.IssueKubeletServing("n1", ["127.0.0.1"], TimeProvider.System);
            Server = await KubeletServer.StartAsync([new KubeletListen("n1", new IPEndPoint(IPAddress.Loopback, 0), serving)], new KubeletAuth(Node, Pki.Ca, TimeProvider.System), NullLoggerFactory.Instance, CancellationToken.None);
        }

        StartKubelet();
        await EventuallyAsync(() => Admin.CoreV1.ReadNodeAsync("n1"), n => n is not null);
        await Admin.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"podCIDR":"10.42.7.0/24","podCIDRs":["10.42.7.0/24"]}}""", V1Patch.PatchType.StrategicMergePatch), "n1");
    }

    public override async Task DisposeAsync()
    {
        await StopKubeletAsync();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Stops the kubelet and starts a new one on the same runtime, as a restarted kubelet finds its containers.</summary>
    protected async Task RestartKubeletAsync()
    {
        await StopKubeletAsync();
        StartKubelet();
    }

    private void StartKubelet()
    {
        _stop = new CancellationTokenSource();
        var options = new KubeletOptions
        {
            NodeName = "n1",
            RestartBackOffInitial = TimeSpan.FromMilliseconds(300),
            RestartBackOffMax = TimeSpan.FromSeconds(1),
            ImagePullBackOffInitial = TimeSpan.FromSeconds(3),
            ImagePullBackOffMax = TimeSpan.FromSeconds(5),
            StaticPodPath = StaticPodPath,
            InternalIp = Server is null ? null : "127.0.0.1",
            KubeletPort = Server?["n1"].Port ?? KubeletOptions.DefaultKubeletPort,
        };
        _kubelet = KubeletHost.RunAsync(Node, Runtime, HollowNetworkProber.Instance, options, NullLoggerFactory.Instance, TimeProvider.System, _stop.Token, Server?["n1"]);
    }

    private async Task StopKubeletAsync()
    {
        await _stop.CancelAsync();
        await _kubelet.WaitAsync(TimeSpan.FromSeconds(15));
        _stop.Dispose();
    }

    protected Task<V1Pod> CreateAsync(string name, string policy, V1Container container) =>
        Admin.CoreV1.CreateNamespacedPodAsync(Pod(name, policy, container), "default");

    protected Task<V1Pod> ReadAsync(string name) => Admin.CoreV1.ReadNamespacedPodAsync(name, "default");

    protected static V1Pod Pod(string name, string policy, V1Container container) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { NodeName = "n1", RestartPolicy = policy, AutomountServiceAccountToken = false, Containers = [container] },
    };

    protected static V1Container Container(string name, params string[] command) => new() { Name = name, Image = "busybox:1.35", Command = command };

    protected static string? Condition(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    /// <summary>The events about one object, as (reason, message), oldest first.</summary>
    protected async Task<List<(string Reason, string Message)>> EventsAsync(string name, string ns = "default") =>
        [.. (await Admin.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}")).Items
            .OrderBy(e => e.FirstTimestamp).Select(e => (e.Reason, e.Message))];
}
