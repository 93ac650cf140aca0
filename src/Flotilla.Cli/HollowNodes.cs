using Flotilla.ApiServer.Auth;
using Flotilla.Client;
using Flotilla.Kubelet;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime.Hollow;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// N hollow nodes in this process — kubelets over the simulated runtime, labelled <c>flotilla.dev/runtime: hollow</c>
/// (kubemark's hollow nodes): for <c>up --runtime hollow --nodes N</c> named <c>hollow-0</c>, ... each with its own
/// node certificate; for <c>agent --runtime hollow --hollow-nodes N</c> sharing the kubeconfig's identity, as
/// kubemark's hollow kubelets share theirs.
/// </summary>
public sealed class HollowNodes : IDisposable
{
    public const string RuntimeLabel = "flotilla.dev/runtime";

    private readonly List<IDisposable> _owned = [];

    private HollowNodes()
    {
    }

    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>The nodes of <c>up</c>: each kubelet under its own node certificate, from the cluster's CA.</summary>
    public static HollowNodes Start(int count, Uri server, ClusterPki pki, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var nodes = new HollowNodes();
        var names = Enumerable.Range(0, count).Select(i => $"hollow-{i}").ToList();
        nodes.Run(names, name => nodes.Own(ClusterClients.ForServer(server, pki.Ca, pki.Node(name, TimeProvider.System))), null, logs, cancellationToken);
        return nodes;
    }

    /// <summary>The nodes of <c>agent</c>: every kubelet through one client (the kubeconfig's identity).</summary>
    /// <param name="staticPodPath">A manifest directory every node runs (static pods), or none.</param>
    public static HollowNodes Start(IReadOnlyList<string> names, Kubernetes client, string? staticPodPath, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var nodes = new HollowNodes();
        nodes.Run(names, _ => client, staticPodPath, logs, cancellationToken);
        return nodes;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private void Run(IReadOnlyList<string> names, Func<string, IKubernetes> clientFor, string? staticPodPath, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var kubelets = new List<Task>(names.Count);
        foreach (var name in names)
        {
            var options = new KubeletOptions { NodeName = name, Labels = new Dictionary<string, string> { [RuntimeLabel] = HollowRuntime.Name }, StaticPodPath = staticPodPath };
            kubelets.Add(KubeletHost.RunAsync(clientFor(name), new HollowRuntime(TimeProvider.System), HollowNetworkProber.Instance, options, logs, TimeProvider.System, cancellationToken));
        }

        Running = Task.WhenAll(kubelets);
    }

    private Kubernetes Own(Kubernetes client)
    {
        _owned.Add(client);
        return client;
    }
}
