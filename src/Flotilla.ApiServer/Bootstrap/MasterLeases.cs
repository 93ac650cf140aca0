using System.Net;
using System.Text;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// Upstream's lease endpoint reconciler: every API server keeps a key <c>/registry/masterleases/&lt;ip&gt;</c> under a
/// 15 s lease, renewed every 10 s, and sets the <c>kubernetes</c> Service's Endpoints to the addresses of all keys
/// alive. A server that stops removes its own at once; one that dies drops out when its lease expires. The cluster
/// DNS runs in every server on its advertised address, so <c>kube-dns</c>' endpoints are the same addresses, port 53.
/// Servers that advertise a loopback address (one server on 127.0.0.1) publish none: pods could not reach it. Its DNS
/// serves on 10.43.0.10 on the host's <c>lo</c> instead, which is then <c>kube-dns</c>' endpoint, for the host's node.
/// </summary>
public sealed partial class MasterLeases(ResourceRegistry registry, IStore store, TimeProvider time, ILogger<MasterLeases> log) : BackgroundService
{
    public const string Prefix = "/registry/masterleases/";

    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource<IPEndPoint> _advertised = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Publishes this server's address and the Endpoints at once, then keeps them (from the bootstrap).</summary>
    public async Task StartAsync(IPEndPoint advertised, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        if (!IPAddress.IsLoopback(advertised.Address))
        {
            await RenewAsync(advertised, cancellationToken);
            await ReconcileAsync(advertised.Port, cancellationToken);
        }
        else
        {
            await ClusterDnsService.SetEndpointsAsync(registry, [IPAddress.Parse(registry.Network.DnsServiceIp)], cancellationToken);
        }

        _advertised.TrySetResult(advertised);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _advertised.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped before the bootstrap published anything: nothing to remove. Published, but stopped before this
            // resumed (a busy thread pool): go on, so the key is removed below.
            if (!_advertised.Task.IsCompletedSuccessfully)
            {
                return;
            }
        }

        var self = _advertised.Task.Result;

        if (IPAddress.IsLoopback(self.Address))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                await RenewAsync(self, stoppingToken);
                await ReconcileAsync(self.Port, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is StoreException or Api.Errors.StatusException)
            {
                LogFailed(log, e.Message);
            }
        }

        // Stopping: out of the Endpoints now, not when the lease runs out.
        try
        {
            try
            {
                await store.DeleteAsync(Key(self.Address), cancellationToken: CancellationToken.None);
            }
            catch (StoreException e) when (e.Error == StoreError.NotFound)
            {
                // Expired already.
            }

            await ReconcileAsync(self.Port, CancellationToken.None);
            LogRemoved(log, self.Address.ToString());
        }
        catch (Exception e) when (e is StoreException or Api.Errors.StatusException)
        {
            LogFailed(log, e.Message);
        }
    }

    private static string Key(IPAddress address) => Prefix + address;

    /// <summary>Puts this server's key under a fresh lease (a new lease each time: the store has no keep-alive).</summary>
    private async Task RenewAsync(IPEndPoint self, CancellationToken cancellationToken)
    {
        var key = Key(self.Address);
        var value = Encoding.UTF8.GetBytes(self.ToString());
        for (var attempt = 0; ; attempt++)
        {
            var lease = await store.GrantLeaseAsync(Ttl, cancellationToken);
            var current = await store.GetAsync(key, cancellationToken: cancellationToken);
            try
            {
                if (current is null)
                {
                    await store.CreateAsync(key, value, lease, cancellationToken);
                }
                else
                {
                    await store.UpdateAsync(key, value, current.ModRevision, lease, cancellationToken);
                }

                return;
            }
            catch (StoreException e) when (e.Error is StoreError.KeyExists or StoreError.Conflict or StoreError.NotFound && attempt < 3)
            {
                // Raced by an earlier self (a restart): read again.
            }
        }
    }

    /// <summary>The Endpoints: the addresses of the keys alive.</summary>
    private async Task ReconcileAsync(int port, CancellationToken cancellationToken)
    {
        var live = await store.ListAsync(Prefix, new ListOptions(), cancellationToken);
        var addresses = live.Items.Select(kv => IPAddress.TryParse(kv.Key[Prefix.Length..], out var ip) ? ip : null).OfType<IPAddress>().ToList();
        await KubernetesService.SetEndpointsAsync(registry, addresses, port, cancellationToken);
        await ClusterDnsService.SetEndpointsAsync(registry, addresses, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "master lease: {Error}")]
    private static partial void LogFailed(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "master lease of {Address} removed; endpoints default/kubernetes and kube-system/kube-dns updated")]
    private static partial void LogRemoved(ILogger log, string address);
}
