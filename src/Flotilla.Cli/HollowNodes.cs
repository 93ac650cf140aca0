using Flotilla.ApiServer.Auth;
using Flotilla.Client;
using Flotilla.Kubelet;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime.Hollow;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// N hollow nodes in this process (<c>up --runtime hollow --nodes N</c>): kubelets named <c>hollow-0</c>, ... each
/// with its own node certificate, over the simulated runtime, labelled <c>flotilla.dev/runtime: hollow</c>.
/// </summary>
public sealed class HollowNodes : IDisposable
{
    public const string RuntimeLabel = "flotilla.dev/runtime";

    private readonly List<Kubernetes> _clients = [];

    private HollowNodes()
    {
    }

    public Task Running { get; private set; } = Task.CompletedTask;

    public static HollowNodes Start(int count, Uri server, ClusterPki pki, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var nodes = new HollowNodes();
        var kubelets = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var name = $"hollow-{i}";
            var client = ClusterClients.ForServer(server, pki.Ca, pki.Node(name, TimeProvider.System));
            nodes._clients.Add(client);
            var options = new KubeletOptions { NodeName = name, Labels = new Dictionary<string, string> { [RuntimeLabel] = HollowRuntime.Name } };
            kubelets.Add(KubeletHost.RunAsync(client, new HollowRuntime(TimeProvider.System), HollowNetworkProber.Instance, options, logs, TimeProvider.System, cancellationToken));
        }

        nodes.Running = Task.WhenAll(kubelets);
        return nodes;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
