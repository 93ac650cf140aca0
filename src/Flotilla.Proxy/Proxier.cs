using System.Diagnostics;
using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;
using Microsoft.Extensions.Logging;

namespace Flotilla.Proxy;

/// <summary>
/// Writes the rules for a <see cref="ProxyState"/> (kube-proxy's syncProxyRules): one iptables-restore per sync,
/// changed service chains only; a full sync — every chain, stale ones found with iptables-save, the jumps from the
/// built-in chains, <c>route_localnet</c> — at the start, after a failure and every <see cref="ProxyOptions.FullSyncPeriod"/>;
/// then the UDP conntrack entries the change left stale are deleted (<see cref="StaleConntrack"/>).
/// </summary>
public sealed partial class Proxier(IptablesRunner iptables, ProxyRules rules, ProxyOptions options, ProxyMetrics metrics, ILogger log, TimeProvider time)
{
    private IReadOnlyDictionary<string, string> _previous = new Dictionary<string, string>();
    private ProxyState? _synced;
    private bool _needFull = true;
    private DateTimeOffset _lastFull;

    public async Task SyncAsync(ProxyState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var started = Stopwatch.GetTimestamp();
        var full = _needFull || time.GetUtcNow() - _lastFull >= options.FullSyncPeriod;
        var existing = full
            ? (await iptables.ChainsAsync("nat", cancellationToken)).Where(ChainNames.IsServiceChain)
            : _previous.Keys;
        var output = rules.Write(state, full ? null : _previous, existing);
        try
        {
            await iptables.RestoreAsync(output.Text, cancellationToken);
            if (full)
            {
                if (rules.LocalhostNodePorts)
                {
                    await iptables.SysctlAsync("net.ipv4.conf.all.route_localnet", "1", cancellationToken);
                }

                foreach (var (table, builtin, rule) in ProxyJumps.All)
                {
                    await iptables.EnsureJumpAsync(table, builtin, rule, cancellationToken);
                }
            }
        }
        catch (IptablesException)
        {
            _needFull = true;
            metrics.Failed();
            throw;
        }

        (_previous, _needFull) = (output.Chains, false);
        foreach (var args in StaleConntrack.Commands(_synced, state))
        {
            // Exit 1 is "0 flow entries have been deleted": nothing was stale.
            var (code, message) = await iptables.RunAsync("conntrack", args, null, cancellationToken);
            if (code > 1)
            {
                LogConntrackFailed(log, options.NodeName, string.Join(' ', args), message.Trim());
            }
        }

        _synced = state;
        if (full)
        {
            _lastFull = time.GetUtcNow();
        }

        var took = Stopwatch.GetElapsedTime(started);
        metrics.Synced(took, output.FilterRules, output.NatRules, time.GetUtcNow());
        LogSynced(log, options.NodeName, full ? "full" : "partial", state.Ports.Count, output.Written, output.Deleted, took.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "proxy {Node}: conntrack {Arguments} failed: {Error}")]
    private static partial void LogConntrackFailed(ILogger log, string node, string arguments, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "proxy {Node}: {Kind} sync of {Ports} service ports: {Written} chains written, {Deleted} deleted in {Milliseconds:F1} ms")]
    private static partial void LogSynced(ILogger log, string node, string kind, int ports, int written, int deleted, double milliseconds);
}
