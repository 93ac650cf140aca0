using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.ApiServer.Auth;
using Flotilla.Client;
using Flotilla.Kubelet;
using Flotilla.Kubelet.Network;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime.Cri;
using Flotilla.Kubelet.Server;
using Flotilla.Proxy;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// A real node (<c>--runtime containerd</c>, the default of <c>up</c> and <c>agent</c>): a kubelet over containerd + runc
/// started from the data dir (<see cref="CriNode"/>), with the air-gap images of <c>&lt;data-dir&gt;/images</c> and
/// of the <c>images/</c> dir beside this program (the launcher builds busybox and pause there), its pods on the
/// bridge <c>flotilla0</c>, its kubelet API on the node's address, and its service proxy.
/// </summary>
public sealed partial class ContainerdNode : IAsyncDisposable
{
    public const string RuntimeName = "containerd";

    /// <summary>The proxy's health and metrics, as upstream's kube-proxy serves them.</summary>
    public const int ProxyPort = 10256;

    /// <summary>Upstream's container log manager looks every 10 s.</summary>
    private static readonly TimeSpan LogRotationPeriod = TimeSpan.FromSeconds(10);

    private readonly CriNode _cri;
    private readonly CriRuntime _runtime;
    private readonly NetworkProber _prober = new();
    private readonly k8s.Kubernetes _client;
    private readonly k8s.Kubernetes? _proxyClient;
    private readonly KubeletServer _server;

    private ContainerdNode(CriNode cri, CriRuntime runtime, k8s.Kubernetes client, k8s.Kubernetes? proxyClient, KubeletServer server)
    {
        _cri = cri;
        _runtime = runtime;
        _client = client;
        _proxyClient = proxyClient;
        _server = server;
    }

    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>The node's name: the host's, lowercased, as upstream's kubelet defaults it.</summary>
    public static string DefaultName => System.Net.Dns.GetHostName().ToLowerInvariant();

    /// <summary>The image archives every real node imports at start: the data dir's, then the ones shipped beside the program.</summary>
    public static IReadOnlyList<string> ImageDirs(DataDirectory dataDir)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        return [Path.Combine(AppContext.BaseDirectory, "images"), dataDir.ImagesDir];
    }

    /// <summary>k3s' <c>--flannel-backend</c>: how a node reaches the other nodes' pods.</summary>
    public static Option<string> FlannelBackendOption() => new Option<string>("--flannel-backend")
    {
        Description = "How pods reach pods on other nodes: host-gw (routes via the nodes' addresses; nodes on one L2 segment) or vxlan (encapsulated to the nodes' addresses, UDP 8472; pods' MTU 1450)",
        DefaultValueFactory = _ => NodeRoutes.HostGw,
    }.AcceptOnlyFromAmong(NodeRoutes.HostGw, NodeRoutes.Vxlan);

    /// <summary><c>--cluster-cidr</c> of a node: the pods' network of the whole cluster (the controller manager's), whose traffic is not masqueraded.</summary>
    public static Option<string> ClusterCidrOption()
    {
        var option = new Option<string>("--cluster-cidr")
        {
            Description = "The pods' network of the whole cluster: pod traffic to other addresses leaves with the node's address",
            DefaultValueFactory = _ => new Flotilla.Controllers.ControllerManagerOptions().ClusterCidr,
        };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!IPNetwork.TryParse(value, out var network) || network.ToString() != value)
            {
                r.AddError($"--cluster-cidr: not a network address with its prefix length (a.b.c.0/n): {value}");
            }
        });
        return option;
    }

    /// <summary>The node of <c>up</c>: named after the host, under its own node certificate, serving on 127.0.0.1 with one from the cluster's CA; its pods use the server's cluster DNS.</summary>
    public static Task<ContainerdNode> StartAsync(DataDirectory dataDir, string clusterCidr, Uri server, ClusterPki pki, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var name = DefaultName;
        var address = IPAddress.Loopback;
        var client = ClusterClients.ForServer(server, pki.Ca, pki.Node(name, TimeProvider.System));
        var proxyClient = ClusterClients.ForServer(server, pki.Ca, pki.Component("kube-proxy", TimeProvider.System));
        return StartAsync(dataDir, clusterCidr, name, client, proxyClient, address, 0, pki.IssueKubeletServing(name, [address.ToString()], TimeProvider.System), pki.Ca, null, [Flotilla.Dns.ClusterDnsOptions.DefaultAddress.ToString()], logs, cancellationToken);
    }

    /// <summary>A node of <c>agent</c> (or <c>up</c>): <paramref name="client"/> is its identity and is owned by the node from here on.</summary>
    /// <param name="clusterCidr">The pods' network of the whole cluster: the node masquerades its pods' traffic to anywhere else.</param>
    /// <param name="proxyClient">The service proxy's identity (<c>system:kube-proxy</c>), owned by the node too; null: <paramref name="client"/>'s, which must then be allowed to watch Services and EndpointSlices.</param>
    /// <param name="port">The kubelet API's port; 0 is any free one.</param>
    /// <param name="clientCa">The CA whose client certificates the kubelet API accepts (the API server's).</param>
    /// <param name="clusterDns">The nameservers of pods with <c>dnsPolicy: ClusterFirst</c>; none: the node's own resolv.conf (with a <c>MissingClusterDNS</c> event).</param>
    public static async Task<ContainerdNode> StartAsync(
        DataDirectory dataDir, string clusterCidr, string name, k8s.Kubernetes client, k8s.Kubernetes? proxyClient, IPAddress address, int port, RotatingCertificate serving, X509Certificate2 clientCa, string? staticPodPath, IReadOnlyList<string> clusterDns, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (cri, runtime) = await StartRuntimeAsync(dataDir, clusterCidr, NodeRoutes.HostGw, logs, cancellationToken);
        return await StartAsync(dataDir, cri, runtime, name, client, proxyClient, address, port, serving, clientCa, staticPodPath, clusterDns, NodeRoutes.HostGw, logs, cancellationToken);
    }

    /// <summary>containerd started from the data dir with the air-gap images imported: the part of a node that needs no credentials (an agent starts it while it joins).</summary>
    /// <param name="backend">The node network's backend (<see cref="NodeRoutes.Vxlan"/>: pods get the smaller MTU).</param>
    public static async Task<(CriNode Cri, CriRuntime Runtime)> StartRuntimeAsync(DataDirectory dataDir, string clusterCidr, string backend, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        ArgumentNullException.ThrowIfNull(logs);
        var cri = new CriNode(dataDir.Root, CriNode.DefaultBridge, clusterCidr, backend == NodeRoutes.Vxlan ? VxlanDevice.Mtu : null);
        try
        {
            return (cri, await cri.StartAsync(ImageDirs(dataDir), logs.CreateLogger("Flotilla.Containerd"), cancellationToken));
        }
        catch
        {
            await cri.DisposeAsync();
            throw;
        }
    }

    /// <summary>The node over a started runtime (<see cref="StartRuntimeAsync"/>), which it owns from here on.</summary>
    /// <param name="backend">How it reaches other nodes' pods (<see cref="NodeRoutes"/>).</param>
    public static async Task<ContainerdNode> StartAsync(
        DataDirectory dataDir, CriNode cri, CriRuntime runtime, string name, k8s.Kubernetes client, k8s.Kubernetes? proxyClient, IPAddress address, int port, RotatingCertificate serving, X509Certificate2 clientCa, string? staticPodPath, IReadOnlyList<string> clusterDns, string backend, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        ArgumentNullException.ThrowIfNull(cri);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(address);
        var clusterCidr = cri.Options.ClusterCidr ?? throw new ArgumentException("the node's runtime has no cluster CIDR", nameof(cri));
        var kubeletServer = await KubeletServer.StartAsync(
            [new KubeletListen(name, new IPEndPoint(address, port), serving)],
            new KubeletAuth(client, clientCa, TimeProvider.System),
            logs,
            cancellationToken);
        var node = new ContainerdNode(cri, runtime, client, proxyClient, kubeletServer);
        var endpoint = kubeletServer[name];
        var options = new KubeletOptions
        {
            NodeName = name,
            Labels = new Dictionary<string, string> { [HollowNodes.RuntimeLabel] = RuntimeName },
            InternalIp = address.ToString(),
            KubeletPort = endpoint.Port,
            LocalStoragePath = dataDir.StorageDir,
            RootDir = cri.KubeletRoot,
            StaticPodPath = staticPodPath,
            ClusterDns = clusterDns,
            Capacity = HostUsage.Capacity(cri.KubeletRoot),
        };
        var rotationLog = logs.CreateLogger("Flotilla.Kubelet.Logs");
        node.Running = Task.WhenAll(
            KubeletHost.RunAsync(client, runtime, node._prober, options, logs, TimeProvider.System, cancellationToken, endpoint),
            NodeRoutes.RunAsync(proxyClient ?? client, name, backend, client, TimeProvider.System, logs, cancellationToken),
            ProxyHost.RunAsync(proxyClient ?? client, new ProxyOptions { NodeName = name, ClusterCidr = clusterCidr, HealthzEndpoint = new IPEndPoint(address, ProxyPort) }, logs, TimeProvider.System, cancellationToken),
            Periodic.RunAsync(LogRotationPeriod, ct => runtime.RotateLogsAsync(CriRuntime.DefaultLogMaxSize, CriRuntime.DefaultLogMaxFiles, ct), e => LogRotationFailed(rotationLog, e.Message), TimeProvider.System, cancellationToken));
        return node;
    }

    /// <summary>Stops the kubelet's server and containerd (run after <see cref="Running"/> ends); the containers live on in their shims.</summary>
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _cri.DisposeAsync();
        _runtime.Dispose();
        _prober.Dispose();
        _client.Dispose();
        _proxyClient?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "rotating container logs failed: {Error}")]
    private static partial void LogRotationFailed(ILogger log, string error);
}
