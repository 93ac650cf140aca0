using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// <c>up --nodes N</c>'s real nodes: one <c>flotilla agent</c> process per node, started in the node's network
/// namespace (<c>nsenter --net=</c>, which keeps the host's mount namespace: runc needs its cgroup mounts), joining the
/// API servers with a join token (in its environment, not on its command line) as an agent on another machine would.
/// Each node's state lives in <c>DIR/nodes/&lt;node&gt;/</c>.
/// </summary>
public static class NodeAgents
{
    /// <summary>A node's data dir under the cluster's.</summary>
    public static string NodeDir(DataDirectory dataDir, string node) => Path.Combine(dataDir.Root, "nodes", node);

    /// <summary>
    /// The agents, as <c>agent node-i</c>. With several <paramref name="servers"/>, node i tries them from the i-th
    /// on, so the nodes spread over the servers and each fails over to the next.
    /// </summary>
    public static ChildProcesses Start(DataDirectory dataDir, int count, IReadOnlyList<Uri> servers, string joinToken, string clusterCidr, string backend, IReadOnlyList<string> clusterDns, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        ArgumentNullException.ThrowIfNull(servers);
        var agents = new ChildProcesses(log);
        try
        {
            for (var i = 1; i <= count; i++)
            {
                var node = NodeNetwork.NodeName(i);
                var preferred = string.Join(',', Enumerable.Range(0, servers.Count).Select(k => servers[(i - 1 + k) % servers.Count]));
                var info = SelfCommand.StartInfo("nsenter", [$"--net={NodeNetwork.NamespacePath(node)}"],
                [
                    "agent", "--server", preferred, "--node-name", node,
                    "--node-ip", NodeNetwork.Address(i).ToString(), "--kubelet-port", "10250", "--data-dir", NodeDir(dataDir, node),
                    "--cluster-cidr", clusterCidr, "--flannel-backend", backend, .. clusterDns.SelectMany(d => new[] { "--cluster-dns", d }),
                ]);
                // Short-lived start-up work dominates an agent's first seconds: quick JIT first (Runtime.props turns it
                // off for the long-running control plane), no PGO instrumentation.
                info.Environment[Commands.AgentCommand.TokenVariable] = joinToken;
                info.Environment["DOTNET_TC_QuickJit"] = "1";
                info.Environment["DOTNET_TieredPGO"] = "0";
                agents.Start($"agent {node}", info, $"network namespace {NodeNetwork.Namespace(node)}");
            }
        }
        catch
        {
            agents.Kill();
            throw;
        }

        return agents;
    }
}
