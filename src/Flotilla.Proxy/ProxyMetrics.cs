using System.Globalization;
using System.Text;

namespace Flotilla.Proxy;

/// <summary>
/// The proxy's figures, in Prometheus' text format under upstream's names (<c>kubeproxy_sync_proxy_rules_*</c>):
/// sync durations, rule counts per table, restore failures, the time of the last sync.
/// </summary>
public sealed class ProxyMetrics
{
    /// <summary>Upstream's buckets: 1 ms doubling, 15 of them.</summary>
    private static readonly double[] Buckets = [.. Enumerable.Range(0, 15).Select(i => 0.001 * Math.Pow(2, i))];

    private readonly Lock _lock = new();
    private readonly long[] _counts = new long[Buckets.Length];
    private long _syncs;
    private double _seconds;
    private long _failures;
    private int _filterRules;
    private int _natRules;
    private DateTimeOffset? _lastSync;

    public void Synced(TimeSpan took, int filterRules, int natRules, DateTimeOffset at)
    {
        lock (_lock)
        {
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (took.TotalSeconds <= Buckets[i])
                {
                    _counts[i]++;
                }
            }

            _syncs++;
            _seconds += took.TotalSeconds;
            (_filterRules, _natRules, _lastSync) = (filterRules, natRules, at);
        }
    }

    public void Failed()
    {
        lock (_lock)
        {
            _failures++;
        }
    }

    public string Text()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            text.Append("# HELP kubeproxy_sync_proxy_rules_duration_seconds SyncProxyRules latency in seconds\n# TYPE kubeproxy_sync_proxy_rules_duration_seconds histogram\n");
            for (var i = 0; i < Buckets.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"kubeproxy_sync_proxy_rules_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {_counts[i]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"kubeproxy_sync_proxy_rules_duration_seconds_bucket{{le=\"+Inf\"}} {_syncs}\n");
            text.Append(CultureInfo.InvariantCulture, $"kubeproxy_sync_proxy_rules_duration_seconds_sum {_seconds}\nkubeproxy_sync_proxy_rules_duration_seconds_count {_syncs}\n");
            text.Append("# HELP kubeproxy_sync_proxy_rules_iptables_total Total number of iptables rules owned by kube-proxy\n# TYPE kubeproxy_sync_proxy_rules_iptables_total gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"kubeproxy_sync_proxy_rules_iptables_total{{table=\"filter\"}} {_filterRules}\nkubeproxy_sync_proxy_rules_iptables_total{{table=\"nat\"}} {_natRules}\n");
            text.Append("# HELP kubeproxy_sync_proxy_rules_iptables_restore_failures_total Cumulative proxy iptables restore failures\n# TYPE kubeproxy_sync_proxy_rules_iptables_restore_failures_total counter\n");
            text.Append(CultureInfo.InvariantCulture, $"kubeproxy_sync_proxy_rules_iptables_restore_failures_total {_failures}\n");
            text.Append("# HELP kubeproxy_sync_proxy_rules_last_timestamp_seconds The last time proxy rules were successfully synced\n# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"kubeproxy_sync_proxy_rules_last_timestamp_seconds {(_lastSync is { } last ? last.ToUnixTimeMilliseconds() / 1000.0 : 0)}\n");
        }

        return text.ToString();
    }
}
