using System.CommandLine;
using System.Net;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer;
using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Auth.Tokens;
using Flotilla.ApiServer.Encryption;
using Flotilla.ApiServer.Kubelets;
using Flotilla.Client;
using Flotilla.Controllers;
using Flotilla.Scheduler;
using Flotilla.Storage;
using Flotilla.Storage.Encryption;
using Flotilla.Storage.Etcd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>Runs the control plane in the foreground: lock the data dir, open the store, serve, write the kubeconfig.</summary>
public static partial class ServerRunner
{
    /// <param name="nodes">The nodes to run beside the control plane (<c>up</c>); none for <c>server</c>.</param>
    public static async Task<int> RunAsync(ParseResult parsed, ServerOptions options, CancellationToken cancellationToken, NodeOptions? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(options);
        using var loggers = LoggerFactory.Create(Logging.Configure);
        var log = loggers.CreateLogger("flotilla");
        using var dataDir = new DataDirectory(parsed.GetValue(options.DataDir)!, parsed.GetValue(options.TlsDir));
        IStore store;
        ClusterPki pki;
        ServiceAccountKey serviceAccountKey;
        TokenFile? tokenFile;
        string? auditLogPath;
        AuditPolicy? auditPolicy;
        ResourceTransformers encryption;
        var nodeCount = nodes is null ? 0 : parsed.GetValue(nodes.Nodes);
        var realNodes = nodeCount > 0 && parsed.GetValue(nodes!.Runtime) == ContainerdNode.RuntimeName;

        // Several real nodes live in network namespaces on the node network, whose gateway the API server also serves.
        var nodeNamespaces = realNodes && nodeCount > 1;

        // Several API servers (up --servers N) each have an address of their own on the node network.
        var serverCount = nodes is null ? 1 : parsed.GetValue(nodes.Servers);
        IReadOnlyList<IPAddress> serverAddresses = serverCount > 1 ? [.. Enumerable.Range(1, serverCount).Select(NodeNetwork.ServerAddress)] : [];
        IReadOnlyList<string> etcdEndpoints = parsed.GetValue(options.EtcdEndpoints) ?? [];
        // With --store etcd and no endpoints, an etcd cluster of its own (k3s' embedded etcd), stopped with the server.
        EtcdCluster? managedEtcd = null;
        try
        {
            try
            {
                dataDir.Lock();
                if (nodeNamespaces || serverCount > 1)
                {
                    // The node and server dirs first: they tell reset which namespaces and bridge are this cluster's,
                    // even if a node never ran.
                    for (var i = 1; i <= nodeCount && nodeNamespaces; i++)
                    {
                        Directory.CreateDirectory(NodeAgents.NodeDir(dataDir, NodeNetwork.NodeName(i)));
                    }

                    for (var i = 2; i <= serverCount; i++)
                    {
                        Directory.CreateDirectory(ExtraServers.ServerDir(dataDir, i));
                    }

                    NodeNetwork.CreateBridge();
                    for (var i = 1; i <= nodeCount && nodeNamespaces; i++)
                    {
                        NodeNetwork.CreateNode(i);
                    }

                    for (var i = 1; i <= serverCount && serverCount > 1; i++)
                    {
                        NodeNetwork.AddServerAddress(i);
                    }
                }

                // The servers of one cluster share the TLS dir: what is made there is made once.
                using (await TlsDirectoryLock.AcquireAsync(dataDir.TlsDir, cancellationToken))
                {
                    pki = ClusterPki.LoadOrCreate(
                        dataDir.TlsDir,
                        [
                            .. parsed.GetValue(options.TlsSans) ?? [], .. HostAddresses.Names(), .. parsed.GetValue(options.AdvertiseAddress) is { } given ? [given.ToString()] : Array.Empty<string>(), .. nodeNamespaces ? [NodeNetwork.Gateway.ToString()] : Array.Empty<string>(),
                            .. serverAddresses.Select(a => a.ToString()),
                        ],
                        TimeProvider.System);
                    serviceAccountKey = ServiceAccountKey.LoadOrCreate(dataDir.TlsDir);
                    encryption = EncryptionConfigFile.LoadOrCreate(dataDir.EncryptionConfig, ResourceCatalog.Default);
                }

                tokenFile = parsed.GetValue(options.TokenAuthFile) is { } path ? TokenFile.Load(path) : null;
                (auditLogPath, auditPolicy) = Audit(parsed, options, dataDir);
                if (parsed.GetValue(options.Store) == "etcd" && etcdEndpoints.Count == 0)
                {
                    if (await EtcdOrphans.StopAsync(dataDir, TimeSpan.FromSeconds(10), cancellationToken))
                    {
                        LogEtcdOrphans(log, dataDir.EtcdDir);
                    }

                    LogEtcdStarting(log, parsed.GetValue(options.EtcdMembers), dataDir.EtcdDir);
                    managedEtcd = await EtcdCluster.StartAsync(dataDir.EtcdDir, parsed.GetValue(options.EtcdMembers), cancellationToken);
                    etcdEndpoints = managedEtcd.Endpoints;
                }

                var opened = await StoreFactory.OpenAsync(parsed.GetValue(options.Store)!, dataDir, etcdEndpoints, cancellationToken);
                store = new EncryptedStore(opened, encryption);
            }
            catch (Exception e) when (e is DataDirectoryException or StoreException or EncryptionConfigException or IOException or InvalidDataException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or AuditPolicyException or Flotilla.Kubelet.Network.NetworkSetupException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            using (serviceAccountKey)
            await using (store)
            {
                LogEncryption(log, encryption.Prefixes.Count == 0 ? "(none)" : string.Join(", ", encryption.Prefixes), dataDir.EncryptionConfig);
                var listen = parsed.GetValue(options.Listen)!;
                var tls = new ApiServerTls(pki.Server, pki.Ca);
                var serverOptions = new ApiServerOptions
                {
                    Listen = listen,
                    AlsoListen = [.. nodeNamespaces ? [new IPEndPoint(NodeNetwork.Gateway, listen.Port)] : Array.Empty<IPEndPoint>(), .. serverAddresses.Take(1).Select(a => new IPEndPoint(a, listen.Port))],
                    Tls = tls,
                    Authentication = new AuthenticationOptions { ServiceAccountKey = serviceAccountKey, TokenFile = tokenFile, AnonymousAuth = parsed.GetValue(options.AnonymousAuth) },
                    AuditLogPath = auditLogPath,
                    AuditPolicy = auditPolicy,
                    AuditLogMaxSizeMiB = parsed.GetValue(options.AuditLogMaxSize),
                    AuditLogMaxBackups = parsed.GetValue(options.AuditLogMaxBackup),

                    // Kubelets' serving certificates are checked against the cluster CA (k3s' model, not upstream's unchecked default).
                    Kubelet = new KubeletClientOptions(pki.Component("apiserver-kubelet-client", TimeProvider.System), pki.Ca),
                };
                await using var app = ApiServerHost.Build(serverOptions, store, Logging.Configure);

                // Pods reach the API server (the kubernetes Service) and the DNS where their nodes do; each of several
                // servers at its own address.
                var advertised = serverCount > 1 ? new IPEndPoint(serverAddresses[0], listen.Port)
                    : nodeNamespaces ? new IPEndPoint(NodeNetwork.Gateway, listen.Port)
                    : new IPEndPoint(AdvertisedAddress(parsed, options, listen), listen.Port);
                try
                {
                    await app.StartAsync(cancellationToken);
                    await ApiServerHost.BootstrapAsync(app, BoundEndpoint(app, advertised), cancellationToken);
                }
                catch (IOException e)
                {
                    await Console.Error.WriteLineAsync($"flotilla: cannot listen on {listen}: {e.Message}");
                    return 1;
                }
                catch (Exception e) when (e is StatusException or StoreException)
                {
                    await Console.Error.WriteLineAsync($"flotilla: start-up failed: {e.Message}");
                    return 1;
                }

                var bound = BoundEndpoint(app, listen);
                // Every server on the port the first bound on its node-network address (--listen may ask for any port).
                var serverPort = serverCount > 1 ? BoundEndpoint(app, new IPEndPoint(serverAddresses[0], listen.Port)).Port : bound.Port;
                IReadOnlyList<IPEndPoint> servers = [.. serverAddresses.Select(a => new IPEndPoint(a, serverPort))];
                Kubeconfig.Write(dataDir.Kubeconfig, bound, pki, servers);
                LogReady(log, $"https://{bound}", dataDir.Kubeconfig, dataDir.Root);

                // The other servers, then the nodes in namespaces (they take longest to come up: their agents start
                // before this server's own components).
                var controllerOptions = new ControllerManagerOptions { ClusterSigningCa = pki.Ca };
                ChildProcesses? otherServers = null;
                ChildProcesses? agents = null;
                try
                {
                    if (serverCount > 1)
                    {
                        otherServers = ExtraServers.Start(dataDir, serverCount, serverPort, managedEtcd?.Endpoints ?? etcdEndpoints, SharedServerOptions(parsed, options), log);
                    }

                    if (nodeNamespaces)
                    {
                        agents = await StartNodeAgentsAsync(
                            dataDir, nodeCount, servers.Count > 0 ? servers : [BoundEndpoint(app, new IPEndPoint(NodeNetwork.Gateway, listen.Port))], pki, controllerOptions.ClusterCidr, parsed.GetValue(nodes!.FlannelBackend)!, log, cancellationToken);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or k8s.Autorest.HttpOperationException or HttpRequestException)
                {
                    LogNodesFailed(log, e.Message);
                }

                // The other control-plane components are clients of this API server, each with its own identity.
                using var stopComponents = new CancellationTokenSource();
                using var schedulerClient = ClusterClients.ForServer(Kubeconfig.LocalUri(bound), pki.Ca, pki.Component("scheduler", TimeProvider.System));
                var scheduler = parsed.GetValue(options.DisableScheduler)
                    ? Task.CompletedTask
                    : SchedulerHost.RunAsync(schedulerClient, new SchedulerOptions(), leaderElect: true, loggers, TimeProvider.System, stopComponents.Token);
                var controllers = parsed.GetValue(options.DisableControllerManager) ? Task.CompletedTask : ControllerManagerHost.RunAsync(
                    ClusterClients.ConfigForServer(Kubeconfig.LocalUri(bound), pki.Ca, pki.Component("controller-manager", TimeProvider.System)),
                    controllerOptions,
                    leaderElect: true,
                    loggers,
                    TimeProvider.System,
                    stopComponents.Token);

                // Pods need the cluster DNS and ingress; `up` without a real node has none to serve. A server whose
                // address is a kube-dns endpoint (its master lease) serves the DNS whatever its own nodes: agents join.
                var serves = nodes is null || realNodes;
                var dns = serves || !IPAddress.IsLoopback(advertised.Address) ? ClusterDns.RunAsync(Kubeconfig.LocalUri(bound), advertised.Address, controllerOptions.ClusterCidr, pki, loggers, stopComponents.Token) : Task.CompletedTask;
                var ingress = serves ? RunIngressAsync(parsed, options, bound, pki, loggers, stopComponents.Token) : Task.CompletedTask;
                await using var hollow = nodeCount > 0 && parsed.GetValue(nodes!.Runtime) == "hollow"
                    ? await HollowNodes.StartAsync(nodeCount, Kubeconfig.LocalUri(bound), pki, dataDir.StorageDir, loggers, stopComponents.Token)
                    : null;
                await using var real = realNodes && !nodeNamespaces
                    ? await ContainerdNode.StartAsync(dataDir, controllerOptions.ClusterCidr, Kubeconfig.LocalUri(bound), pki, loggers, stopComponents.Token)
                    : null;
                using var routesClient = nodeNamespaces ? ClusterClients.ForServer(Kubeconfig.LocalUri(bound), pki.Ca, pki.Component("kube-proxy", TimeProvider.System)) : null;
                var hostRoutes = routesClient is null ? Task.CompletedTask : Flotilla.Kubelet.Network.NodeRoutes.RunAsync(routesClient, null, Flotilla.Kubelet.Network.NodeRoutes.HostGw, null, TimeProvider.System, loggers, stopComponents.Token);
                await WhenStoppingAsync(app, cancellationToken);
                LogStopping(log, dataDir.Root);

                // Nodes and clients first (they give their Leases up through the API), the other servers, then this one.
                if (agents is not null)
                {
                    await agents.DisposeAsync();
                }

                if (otherServers is not null)
                {
                    await otherServers.DisposeAsync();
                }

                await stopComponents.CancelAsync();
                await Task.WhenAll(scheduler, controllers, dns, ingress, hostRoutes, hollow?.Running ?? Task.CompletedTask, real?.Running ?? Task.CompletedTask);
                await app.StopAsync(CancellationToken.None);
            }

            return 0;
        }
        finally
        {
            if (managedEtcd is not null)
            {
                await managedEtcd.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// <c>up</c>'s nodes in their namespaces: a join token (valid an hour; a restarted node uses the certificates it
    /// kept) and one agent per node against the API server's node-network address.
    /// </summary>
    private static async Task<ChildProcesses> StartNodeAgentsAsync(DataDirectory dataDir, int count, IReadOnlyList<IPEndPoint> servers, ClusterPki pki, string clusterCidr, string backend, ILogger log, CancellationToken cancellationToken)
    {
        using var admin = ClusterClients.ForServer(Kubeconfig.LocalUri(servers[0]), pki.Ca, pki.Admin);
        var token = await JoinTokens.CreateAsync(admin, System.Text.Encoding.ASCII.GetBytes(pki.Ca.ExportCertificatePem()), TimeSpan.FromHours(1), "flotilla up's nodes", cancellationToken);
        return NodeAgents.Start(dataDir, count, [.. servers.Select(s => new Uri($"https://{s}"))], token, clusterCidr, backend, [Flotilla.Dns.ClusterDnsOptions.DefaultAddress.ToString()], log);
    }

    /// <summary>A lone server's advertised address: as given, else the listen address, else (0.0.0.0) the host's.</summary>
    private static IPAddress AdvertisedAddress(ParseResult parsed, ServerOptions options, IPEndPoint listen) =>
        parsed.GetValue(options.AdvertiseAddress)
        ?? (listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? HostAddresses.Primary() : listen.Address);

    /// <summary>The options given to <c>up</c> that its other servers take too (authentication, certificates, components).</summary>
    private static List<string> SharedServerOptions(ParseResult parsed, ServerOptions options)
    {
        var shared = new List<string>
        {
            "--anonymous-auth", parsed.GetValue(options.AnonymousAuth) ? "true" : "false",
            "--ingress-http-port", parsed.GetValue(options.IngressHttpPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ingress-https-port", parsed.GetValue(options.IngressHttpsPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        shared.AddRange((parsed.GetValue(options.TlsSans) ?? []).SelectMany(san => new[] { "--tls-san", san }));
        if (parsed.GetValue(options.TokenAuthFile) is { } tokens)
        {
            shared.AddRange(["--token-auth-file", Path.GetFullPath(tokens)]);
        }

        if (parsed.GetValue(options.AuditPolicyFile) is { } policy)
        {
            shared.AddRange(["--audit-policy-file", Path.GetFullPath(policy)]);
        }

        if (parsed.GetValue(options.DisableScheduler))
        {
            shared.Add("--disable-scheduler");
        }

        if (parsed.GetValue(options.DisableControllerManager))
        {
            shared.Add("--disable-controller-manager");
        }

        return shared;
    }

    /// <summary>The ingress controller, on the API server's address, as <c>system:flotilla-ingress</c>.</summary>
    private static async Task RunIngressAsync(ParseResult parsed, ServerOptions options, IPEndPoint bound, ClusterPki pki, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var client = ClusterClients.ForServer(Kubeconfig.LocalUri(bound), pki.Ca, pki.Component("ingress", TimeProvider.System));
        var ingressOptions = new Flotilla.Ingress.IngressOptions
        {
            Http = new IPEndPoint(bound.Address, parsed.GetValue(options.IngressHttpPort)),
            Https = new IPEndPoint(bound.Address, parsed.GetValue(options.IngressHttpsPort)),
        };
        await Flotilla.Ingress.IngressHost.RunAsync(client, ingressOptions, loggers, TimeProvider.System, cancellationToken);
    }

    /// <summary>
    /// The audit log and its policy: by default <c>audit.log</c> and <c>audit-policy.yaml</c> in the data dir, the
    /// policy written there at first start; an empty <c>--audit-log-path</c> turns the log off.
    /// </summary>
    private static (string? Path, AuditPolicy? Policy) Audit(ParseResult parsed, ServerOptions options, DataDirectory dataDir)
    {
        var path = parsed.GetValue(options.AuditLogPath) ?? dataDir.AuditLog;
        if (path.Length == 0)
        {
            return (null, null);
        }

        var policyFile = parsed.GetValue(options.AuditPolicyFile);
        if (policyFile is null)
        {
            policyFile = dataDir.AuditPolicy;
            DefaultAuditPolicy.WriteIfMissing(policyFile);
        }

        return (path, AuditPolicyReader.ReadFile(policyFile));
    }

    /// <summary>Returns on SIGINT/SIGTERM (the command's token) or when the host is asked to stop.</summary>
    private static async Task WhenStoppingAsync(WebApplication app, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The address actually bound for <paramref name="listen"/> (the port is chosen by the kernel when it asks for port 0).</summary>
    private static IPEndPoint BoundEndpoint(WebApplication app, IPEndPoint listen)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var host) &&
                (host.Equals(listen.Address) || addresses.Count == 1))
            {
                return new IPEndPoint(listen.Address, uri.Port);
            }
        }

        return listen;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API server ready on {Url}; kubeconfig {Kubeconfig}; data dir {DataDir}")]
    private static partial void LogReady(ILogger logger, string url, string kubeconfig, string dataDir);

    [LoggerMessage(Level = LogLevel.Information, Message = "encryption at rest for {Prefixes} as configured in {Config}")]
    private static partial void LogEncryption(ILogger logger, string prefixes, string config);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stopped etcd members of {Dir} left running by a server that was killed")]
    private static partial void LogEtcdOrphans(ILogger logger, string dir);

    [LoggerMessage(Level = LogLevel.Information, Message = "starting an etcd cluster of {Members} member(s) in {Dir}")]
    private static partial void LogEtcdStarting(ILogger logger, int members, string dir);

    [LoggerMessage(Level = LogLevel.Error, Message = "the nodes did not start: {Error}")]
    private static partial void LogNodesFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping; data dir {DataDir}")]
    private static partial void LogStopping(ILogger logger, string dataDir);
}
