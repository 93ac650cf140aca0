using Flotilla.Api.Services;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Proxy;

/// <summary>
/// One node's service proxy (kube-proxy in iptables mode): watches Services and EndpointSlices and, whenever they
/// change, writes the node's rules again — at once for the first two changes, then at most once per
/// <see cref="ProxyOptions.MinSyncPeriod"/>, and every <see cref="ProxyOptions.SyncPeriod"/> regardless; a failed
/// write is retried in full. Runs until cancelled; the rules stay (traffic keeps flowing while the agent restarts).
/// </summary>
public static partial class ProxyHost
{
    /// <summary>The slices and services kube-proxy leaves to others: headless ones (DNS answers them) and those of another proxy.</summary>
    private const string Skipped = "!" + ServiceLabels.Headless + ",!" + ServiceLabels.ProxyName;

    /// <param name="started">Called once the health server listens, with its address.</param>
    public static async Task RunAsync(IKubernetes client, ProxyOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken, Action<System.Net.IPEndPoint>? started = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        var log = logs.CreateLogger("Flotilla.Proxy");
        var metrics = new ProxyMetrics();
        var health = new ProxyHealth(options.SyncPeriod, time);
        using var changed = new Wakeup();
        await using var informers = new SharedInformerFactory(client, time, logs);
        var services = informers.Informer<V1Service>(new InformerOptions { LabelSelector = "!" + ServiceLabels.ProxyName });
        var slices = informers.Informer<V1EndpointSlice>(new InformerOptions { LabelSelector = Skipped });
        void Changed()
        {
            health.Queued();
            changed.Set();
        }

        services.AddEventHandler(new ResourceEventHandler<V1Service> { OnAdd = (_, _) => Changed(), OnUpdate = (_, _) => Changed(), OnDelete = _ => Changed() });
        slices.AddEventHandler(new ResourceEventHandler<V1EndpointSlice> { OnAdd = (_, _) => Changed(), OnUpdate = (_, _) => Changed(), OnDelete = _ => Changed() });
        informers.Start();
        await using var server = await StartHealthAsync(options, health, metrics, log, cancellationToken);
        if (server is not null)
        {
            started?.Invoke(server.Endpoint);
        }

        try
        {
            await informers.WaitForCacheSyncAsync(cancellationToken);
            var proxier = new Proxier(new IptablesRunner(options.NetworkNamespace), new ProxyRules(options.ClusterCidr, options.LocalhostNodePorts), options, metrics, log, time);
            var bucket = new TokenBucket(2, options.MinSyncPeriod, time.GetUtcNow());
            LogStarted(log, options.NodeName, server?.Endpoint.ToString() ?? "nowhere");
            while (true)
            {
                while (!bucket.TryTake(time.GetUtcNow()))
                {
                    await Task.Delay(options.MinSyncPeriod / 10, time, cancellationToken);
                }

                var startedAt = time.GetUtcNow();
                try
                {
                    await proxier.SyncAsync(ProxyState.Build(services.Lister.List(), slices.Lister.List(), options.NodeName), cancellationToken);
                    health.Updated(startedAt);
                    await changed.WaitAsync(options.SyncPeriod, time, cancellationToken);
                }
                catch (IptablesException e)
                {
                    LogFailed(log, options.NodeName, e.Message);
                    await changed.WaitAsync(options.MinSyncPeriod, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the rules stay.
        }
    }

    /// <summary>The health server, or none when its port is taken: the rules matter more than their health check.</summary>
    private static async Task<ProxyHealthServer?> StartHealthAsync(ProxyOptions options, ProxyHealth health, ProxyMetrics metrics, ILogger log, CancellationToken cancellationToken)
    {
        if (options.HealthzEndpoint is not { } endpoint)
        {
            return null;
        }

        try
        {
            return await ProxyHealthServer.StartAsync(endpoint, health, metrics, cancellationToken);
        }
        catch (IOException e)
        {
            LogNoHealth(log, options.NodeName, endpoint.ToString(), e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "proxy {Node}: cannot serve /healthz and /metrics at {Endpoint}: {Error}")]
    private static partial void LogNoHealth(ILogger log, string node, string endpoint, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy {Node}: programming iptables from Services and EndpointSlices; health and metrics at {Endpoint}")]
    private static partial void LogStarted(ILogger log, string node, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "proxy {Node}: writing the rules failed, trying again in full: {Error}")]
    private static partial void LogFailed(ILogger log, string node, string error);
}
