using System.CommandLine;
using Flotilla.Client;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla agent --kubeconfig F --runtime hollow [--hollow-nodes N] [--node-name NAME]</c>: node kubelets that
/// join an API server as clients. Today the runtime is the hollow one (simulated containers, for scale tests); the
/// real runtime (containerd) is #9 and joining with a bootstrap token is #11.
/// </summary>
public static partial class AgentCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "kubeconfig file with the API server and the node's credentials", Required = true };
        var server = new Option<Uri?>("--server") { Description = "URL of the API server (default: the kubeconfig's)" };
        var runtime = new Option<string>("--runtime") { Description = "Container runtime: hollow (simulated containers, for tests and scale)", Required = true };
        runtime.AcceptOnlyFromAmong("hollow");
        var nodeName = new Option<string?>("--node-name") { Description = "Name of the node; with --hollow-nodes, the prefix of their names (default: hollow)" };
        var hollowNodes = new Option<int?>("--hollow-nodes") { Description = "Run this many hollow nodes in this process, named <prefix>-0, <prefix>-1, ..." };
        hollowNodes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 5000)
            {
                r.AddError("--hollow-nodes must be between 1 and 5000");
            }
        });
        var staticPods = new Option<string?>("--static-pod-path") { Description = "Directory of pod manifests each node runs itself (static pods, shown through mirror pods)" };
        var command = new Command("agent", "Run node kubelets against an API server") { kubeconfig, server, runtime, nodeName, hollowNodes, staticPods };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(Logging.Configure);
            k8s.Kubernetes client;
            try
            {
                var config = ClusterClients.ConfigFromKubeconfig(parsed.GetValue(kubeconfig)!);
                if (parsed.GetValue(server) is { } url)
                {
                    config.Host = url.ToString();
                }

                client = ClusterClients.Create(config);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            var names = Names(parsed.GetValue(nodeName), parsed.GetValue(hollowNodes));
            using (client)
            using (var nodes = HollowNodes.Start(names, client, parsed.GetValue(staticPods), loggers, cancellationToken))
            {
                LogStarted(loggers.CreateLogger("Flotilla.Agent"), names.Count, client.BaseUri.ToString());
                await nodes.Running;
            }

            return 0;
        });
        return command;
    }

    /// <summary>One node named as asked, or N named <c>prefix-i</c>.</summary>
    internal static IReadOnlyList<string> Names(string? nodeName, int? count) =>
        count is null && nodeName is not null ? [nodeName] : [.. Enumerable.Range(0, count ?? 1).Select(i => $"{nodeName ?? "hollow"}-{i}")];

    [LoggerMessage(Level = LogLevel.Information, Message = "agent: {Count} hollow node(s) joining {Server}")]
    private static partial void LogStarted(ILogger log, int count, string server);
}
