using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.ApiServer.Auth;
using Flotilla.Client;
using Flotilla.Kubelet;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime.Hollow;
using Flotilla.Kubelet.Server;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// N hollow nodes in this process — kubelets over the simulated runtime, labelled <c>flotilla.dev/runtime: hollow</c>
/// (kubemark's hollow nodes): for <c>up --runtime hollow --nodes N</c> named <c>hollow-0</c>, ... each with its own
/// node certificate; for <c>agent --runtime hollow --hollow-nodes N</c> sharing the kubeconfig's identity, as
/// kubemark's hollow kubelets share theirs, or each with its own when they join with a token. Each node serves its kubelet API on its own port of one
/// <see cref="KubeletServer"/>.
/// </summary>
public sealed class HollowNodes : IAsyncDisposable
{
    public const string RuntimeLabel = "flotilla.dev/runtime";

    private readonly List<IDisposable> _owned = [];
    private KubeletServer? _server;

    private HollowNodes()
    {
    }

    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>The nodes of <c>up</c>: each kubelet under its own node certificate, serving on 127.0.0.1 with one from the cluster's CA.</summary>
    /// <param name="storageDir">Where the nodes' local-path volumes live (the data dir's).</param>
    public static async Task<HollowNodes> StartAsync(int count, Uri server, ClusterPki pki, string storageDir, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var nodes = new HollowNodes();
        var names = Enumerable.Range(0, count).Select(i => $"hollow-{i}").ToList();
        var clients = names.ToDictionary(n => n, n => nodes.Own(ClusterClients.ForServer(server, pki.Ca, pki.Node(n, TimeProvider.System))));
        var address = IPAddress.Loopback;
        var listen = names.Select(n => new KubeletListen(n, new IPEndPoint(address, 0), pki.IssueKubeletServing(n, [address.ToString()], TimeProvider.System))).ToList();
        await nodes.RunAsync(listen, n => clients[n], clients[names[0]], pki.Ca, address.ToString(), null, storageDir, logs, cancellationToken);
        return nodes;
    }

    /// <summary>The nodes of <c>agent</c>: every kubelet through one client (the kubeconfig's identity).</summary>
    /// <param name="address">The nodes' InternalIP, where their kubelet API listens.</param>
    /// <param name="port">The kubelet API's port for one node; 0 gives each node any free port.</param>
    /// <param name="serving">The certificate the kubelet API serves; null makes a self-signed one.</param>
    /// <param name="clientCa">The CA whose client certificates the kubelet API accepts (the API server's).</param>
    /// <param name="staticPodPath">A manifest directory every node runs (static pods), or none.</param>
    public static async Task<HollowNodes> StartAsync(IReadOnlyList<string> names, Kubernetes client, IPAddress address, int port, X509Certificate2? serving, X509Certificate2 clientCa, string? staticPodPath, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(address);
        var nodes = new HollowNodes();
        var certificate = serving ?? ServingCertificates.SelfSigned([.. names, address.ToString()], TimeProvider.System);
        var listen = names.Select(n => new KubeletListen(n, new IPEndPoint(address, port), certificate)).ToList();
        await nodes.RunAsync(listen, _ => client, client, clientCa, address.ToString(), staticPodPath, null, logs, cancellationToken);
        return nodes;
    }

    /// <summary>The nodes of <c>agent --token</c>: each kubelet under its own joined identity, serving its own certificate.</summary>
    /// <param name="nodes">Each node's name, client (owned by the nodes from here on) and serving certificate.</param>
    public static async Task<HollowNodes> StartAsync(IReadOnlyList<(string Name, Kubernetes Client, RotatingCertificate Serving)> nodes, IPAddress address, int port, X509Certificate2 clientCa, string? staticPodPath, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(address);
        var hollow = new HollowNodes();
        var clients = nodes.ToDictionary(n => n.Name, n => hollow.Own(n.Client));
        var listen = nodes.Select(n => new KubeletListen(n.Name, new IPEndPoint(address, port), n.Serving)).ToList();
        await hollow.RunAsync(listen, n => clients[n], clients[nodes[0].Name], clientCa, address.ToString(), staticPodPath, null, logs, cancellationToken);
        return hollow;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private async Task RunAsync(IReadOnlyList<KubeletListen> listen, Func<string, IKubernetes> clientFor, IKubernetes reviews, X509Certificate2 clientCa, string internalIp, string? staticPodPath, string? storageDir, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        _server = await KubeletServer.StartAsync(listen, new KubeletAuth(reviews, clientCa, TimeProvider.System), logs, cancellationToken);
        var kubelets = new List<Task>(listen.Count);
        foreach (var name in listen.Select(l => l.NodeName))
        {
            var endpoint = _server[name];
            var options = new KubeletOptions
            {
                NodeName = name,
                Labels = new Dictionary<string, string> { [RuntimeLabel] = HollowRuntime.Name },
                StaticPodPath = staticPodPath,
                LocalStoragePath = storageDir,
                InternalIp = internalIp,
                KubeletPort = endpoint.Port,
            };
            kubelets.Add(KubeletHost.RunAsync(clientFor(name), new HollowRuntime(TimeProvider.System), HollowNetworkProber.Instance, options, logs, TimeProvider.System, cancellationToken, endpoint));
        }

        Running = Task.WhenAll(kubelets);
    }

    private Kubernetes Own(Kubernetes client)
    {
        _owned.Add(client);
        return client;
    }
}
