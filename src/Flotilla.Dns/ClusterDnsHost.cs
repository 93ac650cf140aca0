using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Dns.Records;
using Flotilla.Dns.Server;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Dns;

/// <summary>
/// The cluster DNS (CoreDNS' role): watches Services, EndpointSlices and Pods, keeps the zone's records in memory
/// (built again whenever they change) and answers on UDP and TCP once its caches have synced. When the address is
/// taken it says so and tries again every <see cref="BindRetry"/>. Runs until cancelled.
/// </summary>
public static partial class ClusterDnsHost
{
    public static readonly TimeSpan BindRetry = TimeSpan.FromSeconds(5);

    /// <param name="started">Called once the server answers, with its address.</param>
    public static async Task RunAsync(IKubernetes client, ClusterDnsOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken, Action<IPEndPoint>? started = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logs);
        var log = logs.CreateLogger("Flotilla.Dns");
        using var changed = new Wakeup();
        await using var informers = new SharedInformerFactory(client, time, logs);
        var services = informers.Informer<V1Service>();
        var slices = informers.Informer<V1EndpointSlice>();
        var pods = informers.Informer<V1Pod>();
        services.AddEventHandler(new ResourceEventHandler<V1Service> { OnAdd = (_, _) => changed.Set(), OnUpdate = (_, _) => changed.Set(), OnDelete = _ => changed.Set() });
        slices.AddEventHandler(new ResourceEventHandler<V1EndpointSlice> { OnAdd = (_, _) => changed.Set(), OnUpdate = (_, _) => changed.Set(), OnDelete = _ => changed.Set() });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (_, _) => changed.Set(), OnUpdate = (old, pod) => { if (old.Status?.PodIP != pod.Status?.PodIP) { changed.Set(); } }, OnDelete = _ => changed.Set() });
        var sources = options.AllowedSources is null ? null : new AllowedSources(options.AllowedSources, informers.Informer<V1Node>());
        informers.Start();
        try
        {
            await informers.WaitForCacheSyncAsync(cancellationToken);
            ZoneSnapshot Build() => new(ClusterRecords.Build(options.Zone, services.Lister.List(), slices.Lister.List(), pods.Lister.List()), (uint)time.GetUtcNow().ToUnixTimeSeconds());
            var current = Build();
            using var upstream = new Upstream(options.Upstreams, options.UpstreamPort, options.UpstreamTimeout);
            var responder = new DnsResponder(options, () => Volatile.Read(ref current), upstream);
            using var server = await ServeAsync(options, responder, sources, log, time, cancellationToken);
            LogStarted(log, options.Listen.ToString(), options.Zone, options.Upstreams.Count == 0 ? "(none)" : string.Join(", ", options.Upstreams));
            started?.Invoke(options.Listen);
            while (true)
            {
                await changed.WaitAsync(Timeout.InfiniteTimeSpan, time, cancellationToken);
                Volatile.Write(ref current, Build());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>The listening server; while its address is taken (another server's, or not yet on the host) it waits and tries again.</summary>
    private static async Task<DnsServer> ServeAsync(ClusterDnsOptions options, DnsResponder responder, AllowedSources? sources, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        // Logged once per cause: another server's DNS may hold the address for days (up --servers N).
        string? lastError = null;
        while (true)
        {
            var server = new DnsServer(new UdpServerTransport(options.Listen, 5000), new TcpServerTransport(options.Listen, 5000, 120000));
            server.QueryReceived += async (_, e) =>
            {
                if (e.Query is DnsMessage query)
                {
                    e.Response = sources is null || sources.Allows(e.RemoteEndpoint.Address) ? await responder.AnswerAsync(query, cancellationToken) : DnsResponder.Refused(query);
                }
            };
            server.ExceptionThrown += (_, e) =>
            {
                LogQueryFailed(log, e.Exception.Message);
                return Task.CompletedTask;
            };
            try
            {
                server.Start();
                return server;
            }
            catch (SocketException e)
            {
                server.Stop();
                if (e.Message != lastError)
                {
                    LogCannotListen(log, options.Listen.ToString(), e.Message, BindRetry.TotalSeconds);
                    lastError = e.Message;
                }

                await Task.Delay(BindRetry, time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster DNS answering for {Zone} on {Endpoint} (UDP and TCP); forwarding other names to {Upstreams}")]
    private static partial void LogStarted(ILogger log, string endpoint, string zone, string upstreams);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster DNS cannot listen on {Endpoint}: {Error}; trying again every {Seconds} s")]
    private static partial void LogCannotListen(ILogger log, string endpoint, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster DNS: a query failed: {Error}")]
    private static partial void LogQueryFailed(ILogger log, string error);
}
