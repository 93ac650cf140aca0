using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Client;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla agent --kubeconfig F --runtime hollow|containerd [--hollow-nodes N] [--node-name NAME] [--node-ip IP]
/// [--kubelet-port P] [--data-dir DIR]</c>: node kubelets that join an API server as clients, each serving its
/// kubelet API: hollow ones (simulated containers, for scale tests), or one real node over containerd + runc started
/// from the data dir. Joining with a bootstrap token is #11.
/// </summary>
public static partial class AgentCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "kubeconfig file with the API server and the node's credentials", Required = true };
        var server = new Option<Uri?>("--server") { Description = "URL of the API server (default: the kubeconfig's)" };
        var runtime = new Option<string>("--runtime")
        {
            Description = "Container runtime: containerd (one real node: containerd + runc), hollow (simulated containers, for tests and scale)",
            DefaultValueFactory = _ => ContainerdNode.RuntimeName,
        };
        runtime.AcceptOnlyFromAmong("hollow", ContainerdNode.RuntimeName);
        var dataDir = ServerOptions.DataDirOption();
        dataDir.Description = "Directory holding the real node's containerd, pods, volumes and images (--runtime containerd)";
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
        var nodeIp = new Option<IPAddress>("--node-ip")
        {
            Description = "The nodes' InternalIP, where their kubelet API listens",
            DefaultValueFactory = _ => IPAddress.Loopback,
            CustomParser = r => IPAddress.TryParse(r.Tokens[0].Value, out var ip) ? ip : Fail<IPAddress>(r, $"--node-ip: not an IP address: {r.Tokens[0].Value}"),
        };
        var kubeletPort = new Option<int>("--kubelet-port") { Description = "Port of the kubelet API (0: any free port, one per node; the default, as hollow nodes share a machine)" };
        kubeletPort.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--kubelet-port must be between 0 and 65535");
            }
        });
        var certFile = new Option<string?>("--tls-cert-file") { Description = "Serving certificate of the kubelet API (PEM; default: self-signed)" };
        var keyFile = new Option<string?>("--tls-private-key-file") { Description = "Private key of --tls-cert-file (PEM)" };
        var clientCaFile = new Option<string?>("--client-ca-file") { Description = "CA whose client certificates the kubelet API accepts (default: the kubeconfig's CA)" };
        var clusterCidr = ContainerdNode.ClusterCidrOption();
        var command = new Command("agent", "Run node kubelets against an API server") { kubeconfig, server, runtime, nodeName, hollowNodes, staticPods, nodeIp, kubeletPort, certFile, keyFile, clientCaFile, clusterCidr, dataDir };
        command.Validators.Add(r =>
        {
            // The command's result holds only the options given: their defaults are not applied yet.
            if ((r.GetResult(runtime)?.GetValueOrDefault<string>() ?? ContainerdNode.RuntimeName) == ContainerdNode.RuntimeName && r.GetValue(hollowNodes) is not null)
            {
                r.AddError("--hollow-nodes goes with --runtime hollow");
            }
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(Logging.Configure);
            k8s.Kubernetes client;
            X509Certificate2 clientCa;
            X509Certificate2? serving = null;
            var real = parsed.GetValue(runtime) == ContainerdNode.RuntimeName;
            var names = real ? [parsed.GetValue(nodeName) ?? ContainerdNode.DefaultName] : Names(parsed.GetValue(nodeName), parsed.GetValue(hollowNodes));
            try
            {
                var config = ClusterClients.ConfigFromKubeconfig(parsed.GetValue(kubeconfig)!);
                if (parsed.GetValue(server) is { } url)
                {
                    config.Host = url.ToString();
                }

                clientCa = parsed.GetValue(clientCaFile) is { } caFile ? X509CertificateLoader.LoadCertificateFromFile(caFile)
                    : config.SslCaCerts?.Count > 0 ? config.SslCaCerts[0]
                    : throw new IOException("the kubeconfig names no certificate authority: give --client-ca-file, the CA of the API server's client certificate");
                if (parsed.GetValue(certFile) is { } cert)
                {
                    serving = X509Certificate2.CreateFromPemFile(cert, parsed.GetValue(keyFile) ?? throw new IOException("--tls-cert-file needs --tls-private-key-file"));
                }

                if (parsed.GetValue(kubeletPort) != 0 && names.Count > 1)
                {
                    throw new IOException("--kubelet-port must be 0 with several hollow nodes: each needs its own port");
                }

                client = ClusterClients.Create(config);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            if (real)
            {
                return await RunRealNodeAsync(parsed.GetValue(dataDir)!, parsed.GetValue(clusterCidr)!, names[0], client, parsed.GetValue(nodeIp)!, parsed.GetValue(kubeletPort), serving, clientCa, parsed.GetValue(staticPods), loggers, cancellationToken);
            }

            using (client)
            await using (var nodes = await HollowNodes.StartAsync(names, client, parsed.GetValue(nodeIp)!, parsed.GetValue(kubeletPort), serving, clientCa, parsed.GetValue(staticPods), loggers, cancellationToken))
            {
                LogStarted(loggers.CreateLogger("Flotilla.Agent"), names.Count, client.BaseUri.ToString());
                await nodes.Running;
            }

            return 0;
        });
        return command;
    }

    /// <summary>One real node over the data dir's containerd, until stopped; the data dir is this agent's alone while it runs.</summary>
    private static async Task<int> RunRealNodeAsync(string dir, string clusterCidr, string name, k8s.Kubernetes client, IPAddress address, int port, X509Certificate2? serving, X509Certificate2 clientCa, string? staticPodPath, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var dataDir = new DataDirectory(dir);
        try
        {
            dataDir.Lock();
        }
        catch (Exception e) when (e is DataDirectoryException or IOException or UnauthorizedAccessException)
        {
            client.Dispose();
            await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
            return 1;
        }

        var certificate = serving ?? Flotilla.Kubelet.Server.ServingCertificates.SelfSigned([name, address.ToString()], TimeProvider.System);
        ContainerdNode started;
        try
        {
            started = await ContainerdNode.StartAsync(dataDir, clusterCidr, name, client, null, address, port, certificate, clientCa, staticPodPath, [], loggers, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            client.Dispose();
            await Console.Error.WriteLineAsync($"flotilla: starting the node's runtime: {e.Message}");
            return 1;
        }

        await using var node = started;
        LogStarted(loggers.CreateLogger("Flotilla.Agent"), 1, client.BaseUri.ToString());
        await node.Running;
        return 0;
    }

    private static T Fail<T>(System.CommandLine.Parsing.ArgumentResult result, string error)
    {
        result.AddError(error);
        return default!;
    }

    /// <summary>One node named as asked, or N named <c>prefix-i</c>.</summary>
    internal static IReadOnlyList<string> Names(string? nodeName, int? count) =>
        count is null && nodeName is not null ? [nodeName] : [.. Enumerable.Range(0, count ?? 1).Select(i => $"{nodeName ?? "hollow"}-{i}")];

    [LoggerMessage(Level = LogLevel.Information, Message = "agent: {Count} hollow node(s) joining {Server}")]
    private static partial void LogStarted(ILogger log, int count, string server);
}
