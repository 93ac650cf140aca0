using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Client;
using Flotilla.Kubelet.Bootstrap;
using Flotilla.Kubelet.Server;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla agent (--server URL --token T | --kubeconfig F) --runtime hollow|containerd [--hollow-nodes N]
/// [--node-name NAME] [--node-ip IP] [--kubelet-port P] [--data-dir DIR]</c>: node kubelets that join an API server
/// as clients, each serving its kubelet API: hollow ones (simulated containers, for scale tests), or one real node
/// over containerd + runc started from the data dir. With a join token each node gets its own certificates through
/// CertificateSigningRequests (<see cref="TlsBootstrap"/>); with a kubeconfig every node uses its identity.
/// </summary>
public static partial class AgentCommand
{
    /// <summary>Where a join token may come from instead of <c>--token</c> (k3s' <c>K3S_TOKEN</c>).</summary>
    public const string TokenVariable = "FLOTILLA_TOKEN";

    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file with the API server and the node's credentials (instead of --token)" };
        var server = new Option<Uri[]?>("--server")
        {
            Description = "URL of the API server (https://HOST:6443; default: the kubeconfig's). Several (comma-separated or repeated) for an HA control plane: the first reachable one is used",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => Uri.TryCreate(v, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps ? url : OptionErrors.Fail<Uri>(r, $"--server: not an https URL: {v}"))],
        };
        var token = new Option<string?>("--token")
        {
            Description = $"Join token from 'flotilla token create' (K10<ca-hash>::<id>.<secret>): the node asks for its own certificates (default: ${TokenVariable}, which keeps it off the command line)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
        };
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
            CustomParser = r => IPAddress.TryParse(r.Tokens[0].Value, out var ip) ? ip : OptionErrors.Fail<IPAddress>(r, $"--node-ip: not an IP address: {r.Tokens[0].Value}"),
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
        var flannelBackend = ContainerdNode.FlannelBackendOption();
        var clusterDns = new Option<IPAddress[]>("--cluster-dns")
        {
            Description = "Nameserver of pods with dnsPolicy ClusterFirst (repeatable; default 10.43.0.10, the kube-dns Service, which the node's proxy sends to the servers' DNS)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [Flotilla.Dns.ClusterDnsOptions.DefaultAddress],
            CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => IPAddress.TryParse(v, out var ip) ? ip : OptionErrors.Fail<IPAddress>(r, $"--cluster-dns: not an IP address: {v}"))],
        };
        var command = new Command("agent", "Run node kubelets against an API server") { kubeconfig, server, token, runtime, nodeName, hollowNodes, staticPods, nodeIp, kubeletPort, certFile, keyFile, clientCaFile, clusterCidr, flannelBackend, clusterDns, dataDir };
        command.Validators.Add(r =>
        {
            // Defaults (the token from the environment) are not applied in validators yet: read the variable here too.
            var hasToken = r.GetValue(token) is not null || Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 };
            var hasKubeconfig = r.GetValue(kubeconfig) is not null;
            if (hasToken == hasKubeconfig)
            {
                r.AddError("give either --token (with --server) or --kubeconfig");
            }
            else if (hasToken && r.GetValue(server) is null)
            {
                r.AddError("--token needs --server, the API server to join (https://HOST:6443)");
            }
        });
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
            var real = parsed.GetValue(runtime) == ContainerdNode.RuntimeName;
            var names = real ? [parsed.GetValue(nodeName) ?? ContainerdNode.DefaultName] : Names(parsed.GetValue(nodeName), parsed.GetValue(hollowNodes));
            var settings = new AgentSettings(
                parsed.GetValue(dataDir)!, parsed.GetValue(clusterCidr)!, names, parsed.GetValue(nodeIp)!, parsed.GetValue(kubeletPort), parsed.GetValue(staticPods),
                [.. (parsed.GetValue(clusterDns) ?? []).Select(ip => ip.ToString())], parsed.GetValue(flannelBackend)!);
            if (parsed.GetValue(kubeletPort) != 0 && names.Count > 1)
            {
                await Console.Error.WriteLineAsync("flotilla: --kubelet-port must be 0 with several hollow nodes: each needs its own port");
                return 1;
            }

            if (parsed.GetValue(token) is { } joinToken)
            {
                return await RunJoinedAsync(parsed.GetValue(server)!, joinToken, real, settings, loggers, cancellationToken);
            }

            k8s.Kubernetes client;
            X509Certificate2 clientCa;
            X509Certificate2? serving = null;
            try
            {
                var config = ClusterClients.ConfigFromKubeconfig(parsed.GetValue(kubeconfig)!);
                var servers = parsed.GetValue(server) is { Length: > 0 } urls ? urls : [new Uri(config.Host)];

                clientCa = parsed.GetValue(clientCaFile) is { } caFile ? X509CertificateLoader.LoadCertificateFromFile(caFile)
                    : config.SslCaCerts?.Count > 0 ? config.SslCaCerts[0]
                    : throw new IOException("the kubeconfig names no certificate authority: give --client-ca-file, the CA of the API server's client certificate");
                if (parsed.GetValue(certFile) is { } cert)
                {
                    serving = X509Certificate2.CreateFromPemFile(cert, parsed.GetValue(keyFile) ?? throw new IOException("--tls-cert-file needs --tls-private-key-file"));
                }

                client = ClusterClients.ForServers(servers, config);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            if (real)
            {
                var certificate = serving ?? Flotilla.Kubelet.Server.ServingCertificates.SelfSigned([names[0], settings.Address.ToString()], TimeProvider.System);
                await using var pending = await PendingRuntime.StartAsync(settings, loggers, cancellationToken);
                if (pending is null)
                {
                    client.Dispose();
                    return 1;
                }

                return await RunRealNodeAsync(pending, settings, client, certificate, clientCa, loggers, cancellationToken);
            }

            using (client)
            await using (var nodes = await HollowNodes.StartAsync(names, client, settings.Address, settings.Port, serving, clientCa, settings.StaticPodPath, loggers, cancellationToken))
            {
                LogStarted(loggers.CreateLogger("Flotilla.Agent"), names.Count, client.BaseUri.ToString());
                await nodes.Running;
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Nodes that join with a token: each gets its client certificate through a CertificateSigningRequest, serves a
    /// self-signed certificate until its serving request is issued, and keeps both under the data dir.
    /// </summary>
    private static async Task<int> RunJoinedAsync(IReadOnlyList<Uri> servers, string joinToken, bool real, AgentSettings settings, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger("Flotilla.Agent");
        var dataDir = new DataDirectory(settings.DataDir);

        // containerd needs no credentials: a real node's starts while the node joins.
        await using var pending = real ? await PendingRuntime.StartAsync(settings, loggers, cancellationToken) : null;
        if (real && pending is null)
        {
            return 1;
        }

        var joined = new List<(string Name, k8s.Kubernetes Client, RotatingCertificate Identity, RotatingCertificate Serving, NodeCredentialFiles Files)>();
        X509Certificate2? ca = null;
        try
        {
            foreach (var name in settings.Names)
            {
                var files = new NodeCredentialFiles(dataDir.NodePkiDir(name));
                var (nodeCa, identity) = await TlsBootstrap.JoinAsync(servers, joinToken, name, files, TimeProvider.System, log, cancellationToken);
                ca = nodeCa;
                var serving = new RotatingCertificate(Flotilla.Kubelet.Server.ServingCertificates.SelfSigned([name, settings.Address.ToString()], TimeProvider.System));
                var current = new RotatingCertificate(identity);
                joined.Add((name, ClusterClients.ForServers(servers, ClusterClients.ConfigForServer(servers[0], nodeCa, identity), current), current, serving, files));
            }
        }
        catch (Exception e) when (e is BootstrapException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            joined.ForEach(j => j.Client.Dispose());
            await Console.Error.WriteLineAsync($"flotilla: joining {string.Join(", ", servers)}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            joined.ForEach(j => j.Client.Dispose());
            return 0;
        }

        // Both certificates of every node are renewed while it runs (the kubelet's rotateCertificates and serverTLSBootstrap).
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signing = joined.Select(j => TlsBootstrap.ServeSignedAsync(j.Client, j.Name, ca!, j.Serving, j.Files, TimeProvider.System, log, renewing.Token))
            .Concat(joined.Select(j => TlsBootstrap.RenewClientAsync(j.Client, j.Name, j.Identity, j.Files, TimeProvider.System, log, renewing.Token)))
            .ToList();
        int code;
        if (real)
        {
            var (_, client, _, serving, _) = joined[0];
            code = await RunRealNodeAsync(pending!, settings, client, serving, ca!, loggers, cancellationToken);
        }
        else
        {
            await using var nodes = await HollowNodes.StartAsync([.. joined.Select(j => (j.Name, j.Client, j.Serving))], settings.Address, settings.Port, ca!, settings.StaticPodPath, loggers, cancellationToken);
            LogStarted(log, joined.Count, string.Join(", ", servers));
            await nodes.Running;
            code = 0;
        }

        await renewing.CancelAsync();
        await Task.WhenAll(signing);
        return code;
    }

    /// <summary>One real node over the data dir's containerd, until stopped.</summary>
    private static async Task<int> RunRealNodeAsync(PendingRuntime pending, AgentSettings settings, k8s.Kubernetes client, RotatingCertificate serving, X509Certificate2 clientCa, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ContainerdNode started;
        try
        {
            started = await pending.NodeAsync(settings, client, serving, clientCa, loggers, cancellationToken);
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

    /// <summary>
    /// A real node's data dir, locked (it is this agent's alone while it runs), and its containerd starting; handed
    /// to the node once the agent has its credentials, or stopped when it never gets them.
    /// </summary>
    private sealed class PendingRuntime(DataDirectory dataDir, Task<(Flotilla.Kubelet.Runtime.Cri.CriNode Cri, Flotilla.Kubelet.Runtime.Cri.CriRuntime Runtime)> runtime) : IAsyncDisposable
    {
        private bool _handedOver;

        /// <summary>Locks the data dir and starts containerd; null (the reason printed) when the data dir is not ours.</summary>
        public static async Task<PendingRuntime?> StartAsync(AgentSettings settings, ILoggerFactory loggers, CancellationToken cancellationToken)
        {
            var dataDir = new DataDirectory(settings.DataDir);
            try
            {
                dataDir.Lock();
            }
            catch (Exception e) when (e is DataDirectoryException or IOException or UnauthorizedAccessException)
            {
                dataDir.Dispose();
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return null;
            }

            return new PendingRuntime(dataDir, ContainerdNode.StartRuntimeAsync(dataDir, settings.ClusterCidr, settings.Backend, loggers, cancellationToken));
        }

        public async Task<ContainerdNode> NodeAsync(AgentSettings settings, k8s.Kubernetes client, RotatingCertificate serving, X509Certificate2 clientCa, ILoggerFactory loggers, CancellationToken cancellationToken)
        {
            var (cri, started) = await runtime;
            _handedOver = true;
            return await ContainerdNode.StartAsync(dataDir, cri, started, settings.Names[0], client, null, settings.Address, settings.Port, serving, clientCa, settings.StaticPodPath, settings.ClusterDns, settings.Backend, loggers, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_handedOver)
            {
                try
                {
                    var (cri, started) = await runtime;
                    started.Dispose();
                    await cri.DisposeAsync();
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or OperationCanceledException)
                {
                    // It never started: nothing to stop.
                }
            }

            dataDir.Dispose();
        }
    }

    /// <summary>One node named as asked, or N named <c>prefix-i</c>.</summary>
    internal static IReadOnlyList<string> Names(string? nodeName, int? count) =>
        count is null && nodeName is not null ? [nodeName] : [.. Enumerable.Range(0, count ?? 1).Select(i => $"{nodeName ?? "hollow"}-{i}")];

    /// <summary>Where and how the agent's nodes run.</summary>
    private sealed record AgentSettings(string DataDir, string ClusterCidr, IReadOnlyList<string> Names, IPAddress Address, int Port, string? StaticPodPath, IReadOnlyList<string> ClusterDns, string Backend);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent: {Count} node(s) joining {Server}")]
    private static partial void LogStarted(ILogger log, int count, string server);
}
