using System.Globalization;
using System.Text;

namespace Flotilla.Kubelet.Stats;

/// <summary>
/// The kubelet's <c>/metrics/resource</c> (upstream's resource metrics collector, what metrics-server scrapes):
/// cumulative CPU seconds and working sets of the node, its pods and their containers, each sample stamped with the
/// time of its reading, in the Prometheus text format with families in name order.
/// </summary>
public static class ResourceMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(UsageSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = new StringBuilder();
        var node = snapshot.Node;
        var nodeTime = node.Time.ToUnixTimeMilliseconds();
        var containers = snapshot.Pods.SelectMany(p => p.Containers.Select(c => (Pod: p, Container: c))).ToList();
        string Labels((PodUsage Pod, ContainerUsageOf Container) c) => $"container=\"{Escape(c.Container.Name)}\",namespace=\"{Escape(c.Pod.Namespace)}\",pod=\"{Escape(c.Pod.Name)}\"";
        string PodLabels(PodUsage p) => $"namespace=\"{Escape(p.Namespace)}\",pod=\"{Escape(p.Name)}\"";

        Family(text, "container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the container in core-seconds",
            containers.Select(c => (Labels(c), Seconds(c.Container.Usage.CpuCoreNanoSeconds), (long?)c.Container.Usage.Time.ToUnixTimeMilliseconds())));
        Family(text, "container_memory_working_set_bytes", "gauge", "Current working set of the container in bytes",
            containers.Select(c => (Labels(c), Number(c.Container.Usage.MemoryWorkingSetBytes), (long?)c.Container.Usage.Time.ToUnixTimeMilliseconds())));
        Family(text, "container_start_time_seconds", "gauge", "Start time of the container since unix epoch in seconds",
            containers.Select(c => (Labels(c), Number(c.Container.StartTime.ToUnixTimeMilliseconds() / 1000.0), (long?)null)));
        Family(text, "node_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the node in core-seconds",
            [(string.Empty, Seconds(node.CpuCoreNanoSeconds), nodeTime)]);
        Family(text, "node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes",
            [(string.Empty, Number(node.MemoryWorkingSetBytes), nodeTime)]);
        Family(text, "pod_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed by the pod in core-seconds",
            snapshot.Pods.Select(p => (PodLabels(p), Seconds(p.CpuCoreNanoSeconds), (long?)p.Time.ToUnixTimeMilliseconds())));
        Family(text, "pod_memory_working_set_bytes", "gauge", "Current working set of the pod in bytes",
            snapshot.Pods.Select(p => (PodLabels(p), Number(p.MemoryWorkingSetBytes), (long?)p.Time.ToUnixTimeMilliseconds())));
        Family(text, "resource_scrape_error", "gauge", "1 if there was an error while getting container metrics, 0 otherwise", [(string.Empty, "0", null)]);
        return text.ToString();
    }

    /// <summary>What is served when the readings failed: only the error gauge, set.</summary>
    public static string ScrapeError()
    {
        var text = new StringBuilder();
        Family(text, "resource_scrape_error", "gauge", "1 if there was an error while getting container metrics, 0 otherwise", [(string.Empty, "1", null)]);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, string Value, long? Time)> samples)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} [STABLE] {help}\n# TYPE {name} {type}\n");
        foreach (var (labels, value, time) in samples)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(value);
            if (time is { } ms)
            {
                text.Append(' ').Append(ms.ToString(CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }
    }

    private static string Seconds(ulong nanoseconds) => Number(nanoseconds / 1e9);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
