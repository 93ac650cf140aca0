using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// <c>up --nodes N</c>'s real nodes: one <c>flotilla agent</c> process per node, started in the node's network
/// namespace (<c>nsenter --net=</c>, which keeps the host's mount namespace: runc needs its cgroup mounts), joining the
/// API server with a join token (in its environment, not on its command line) as an agent on another machine would. Its log lines go to <c>up</c>'s output. Each
/// node's state lives in <c>DIR/nodes/&lt;node&gt;/</c>. Stopping sends SIGTERM and waits, as for any agent.
/// </summary>
public sealed partial class NodeAgents : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(string Node, Process Process)> _agents = [];
    private readonly ILogger _log;

    private NodeAgents(ILogger log) => _log = log;

    /// <summary>Ends when every agent has exited.</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>A node's data dir under the cluster's.</summary>
    public static string NodeDir(DataDirectory dataDir, string node) => Path.Combine(dataDir.Root, "nodes", node);

    public static NodeAgents Start(DataDirectory dataDir, int count, Uri server, string joinToken, string clusterCidr, IReadOnlyList<string> clusterDns, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        ArgumentNullException.ThrowIfNull(server);
        var agents = new NodeAgents(log);
        try
        {
            for (var i = 1; i <= count; i++)
            {
                var node = NodeNetwork.NodeName(i);
                var info = SelfCommand.StartInfo("nsenter", [$"--net={NodeNetwork.NamespacePath(node)}"],
                [
                    "agent", "--server", server.ToString(), "--node-name", node,
                    "--node-ip", NodeNetwork.Address(i).ToString(), "--kubelet-port", "10250", "--data-dir", NodeDir(dataDir, node),
                    "--cluster-cidr", clusterCidr, .. clusterDns.SelectMany(d => new[] { "--cluster-dns", d }),
                ]);
                // Short-lived start-up work dominates an agent's first seconds: quick JIT first (Runtime.props turns it
                // off for the long-running control plane), no PGO instrumentation.
                info.Environment[Commands.AgentCommand.TokenVariable] = joinToken;
                info.Environment["DOTNET_TC_QuickJit"] = "1";
                info.Environment["DOTNET_TieredPGO"] = "0";
                var process = Process.Start(info) ?? throw new InvalidOperationException($"the agent of {node} did not start");
                agents._agents.Add((node, process));
                LogStarted(log, node, process.Id, NodeNetwork.Namespace(node));
            }
        }
        catch
        {
            agents.Kill();
            throw;
        }

        agents.Running = Task.WhenAll(agents._agents.Select(a => a.Process.WaitForExitAsync()));
        return agents;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _agents.Where(a => !a.Process.HasExited))
        {
            Kubelet.Node.HostCommand.Run("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        foreach (var (node, process) in _agents)
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                LogStopped(_log, node, process.ExitCode);
            }
            catch (OperationCanceledException)
            {
                LogKilled(_log, node);
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private void Kill()
    {
        foreach (var (_, process) in _agents)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: agent started (pid {Pid}, network namespace {Namespace})")]
    private static partial void LogStarted(ILogger log, string node, int pid, string @namespace);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: agent exited with {Code}")]
    private static partial void LogStopped(ILogger log, string node, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: agent did not stop in 30 s; killed")]
    private static partial void LogKilled(ILogger log, string node);
}
