using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Pods;
using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Server;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet;

/// <summary>
/// One node's kubelet as a component: it registers the Node, then renews its Lease every 10 s, keeps its status,
/// hands the runtime the pod subnet the node IPAM gives it, collects unused images when the disk fills
/// (<see cref="ImageGc"/>), and runs the pods bound to it (<see cref="PodWorkers"/>).
/// </summary>
public static partial class KubeletHost
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Upstream's heartbeat client timeout (its nodeStatusUpdateFrequency, 10 s).</summary>
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(10);

    /// <param name="client">A client with the node's own identity (<c>system:node:&lt;name&gt;</c>).</param>
    /// <param name="network">How HTTP, TCP and gRPC probes reach pods: <see cref="NetworkProber"/>, or the hollow stand-in.</param>
    /// <param name="endpoint">Where the node's kubelet API listens (its port is in <paramref name="options"/>), or none.</param>
    public static async Task RunAsync(IKubernetes client, IContainerRuntime runtime, INetworkProber network, KubeletOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken, NodeEndpoint? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        var log = logs.CreateLogger("Flotilla.Kubelet");
        await using var events = new EventRecorder(client, new EventRecorderOptions { Component = "kubelet", Host = options.NodeName }, time, logs.CreateLogger<EventRecorder>());
        events.Start();
        var status = new NodeStatusReporter(client, runtime, options, time, log);
        var nodeReference = new V1ObjectReference { Kind = "Node", Name = options.NodeName, Uid = options.NodeName, ApiVersion = "v1" };
        var images = new ImageGc(runtime, events, nodeReference, new HashSet<string>(StringComparer.Ordinal) { Runtime.Cri.ContainerdConfig.DefaultPauseImage }, time);
        var lease = new NodeLease(client, options, time);
        if (!await UntilDoneAsync(() => status.RegisterAsync(cancellationToken), options.NodeName, "registering", log, time, cancellationToken))
        {
            return;
        }

        // The kubelet's own Node, watched (upstream's node informer): its pod subnet, labels and taints.
        await using var informers = new SharedInformerFactory(client, time, logs);
        var self = informers.Informer<V1Node>(new InformerOptions { FieldSelector = "metadata.name=" + options.NodeName });
        using var nodeChanged = new Wakeup();
        self.AddEventHandler(new ResourceEventHandler<V1Node> { OnAdd = (_, _) => nodeChanged.Set(), OnUpdate = (_, _) => nodeChanged.Set() });
        V1Node? Current() => self.Lister.Get(options.NodeName) ?? status.Node;
        await Task.WhenAll(
            Every(lease.RenewInterval, () => Heartbeat(ct => lease.RenewAsync(status.Node, ct), time, cancellationToken), options.NodeName, "renewing its lease", log, time, cancellationToken),
            Every(options.NodeStatusUpdateFrequency, () => Heartbeat(status.SyncAsync, time, cancellationToken), options.NodeName, "posting its status", log, time, cancellationToken),
            Every(ImageGc.Period, () => images.RunOnceAsync(cancellationToken), options.NodeName, "collecting unused images", log, time, cancellationToken),
            UntilDoneAsync(() => PodCidrAsync(runtime, status, Current, nodeChanged, time, cancellationToken), options.NodeName, "waiting for its pod CIDR", log, time, cancellationToken),
            PodWorkers.RunAsync(client, informers, runtime, network, events, Current, options, time, log, cancellationToken, endpoint));
    }

    /// <summary>Waits for the node IPAM's subnet, gives it to the runtime (CRI UpdateRuntimeConfig), and reports the node ready at once.</summary>
    private static async Task PodCidrAsync(IContainerRuntime runtime, NodeStatusReporter status, Func<V1Node?> node, Wakeup nodeChanged, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (node()?.Spec?.PodCIDR is { Length: > 0 } cidr)
            {
                await runtime.UpdatePodCidrAsync(cidr, cancellationToken);
                await status.SyncAsync(cancellationToken);
                return;
            }

            await nodeChanged.WaitAsync(TimeSpan.FromSeconds(30), time, cancellationToken);
        }
    }

    /// <summary>
    /// A heartbeat bounded by <see cref="HeartbeatTimeout"/>, as upstream's kubelet gives its heartbeat client a timeout:
    /// one stuck on a connection a partition killed fails and is tried again, instead of holding the node Unknown.
    /// </summary>
    private static async Task Heartbeat(Func<CancellationToken, Task> beat, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(HeartbeatTimeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await beat(bounded.Token);
    }

    private static async Task<bool> UntilDoneAsync(Func<Task> work, string node, string what, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await work();
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever failed (an API error, a timeout, a network set-up), the loop goes on: ending it would leave
                // the node without heartbeats while its process runs.
                LogFailed(log, node, what, e.Message);
                try
                {
                    await Task.Delay(RetryDelay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        return false;
    }

    private static async Task Every(TimeSpan period, Func<Task> work, string node, string what, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        while (await UntilDoneAsync(work, node, what, log, time, cancellationToken))
        {
            try
            {
                await Task.Delay(period, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: {What} failed, retrying: {Error}")]
    private static partial void LogFailed(ILogger log, string node, string what, string error);
}
