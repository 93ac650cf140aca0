using System.Globalization;

namespace Flotilla.ApiServer.MetricsApi;

/// <summary>
/// A kubelet's <c>/metrics/resource</c> read as metrics-server reads it: the node's CPU and working set, and each
/// container's CPU, working set and start time, keyed by namespace, pod and container. A sample without a
/// timestamp is taken at <paramref name="scrapedAt"/>; CPU and memory of one object share one timestamp, the later.
/// </summary>
public static class ResourceMetricsParser
{
    public sealed record Result(MetricsPoint? Node, IReadOnlyDictionary<(string Namespace, string Pod, string Container), MetricsPoint> Containers);

    public static Result Parse(string text, DateTimeOffset scrapedAt)
    {
        ArgumentNullException.ThrowIfNull(text);
        (DateTimeOffset? Time, ulong? Cpu, ulong? Memory) node = default;
        var containers = new Dictionary<(string, string, string), (DateTimeOffset? Time, ulong? Cpu, ulong? Memory, DateTimeOffset? Start)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || !TryParseSample(line, out var name, out var labels, out var value, out var stamp))
            {
                continue;
            }

            var time = stamp ?? scrapedAt;
            switch (name)
            {
                case "node_cpu_usage_seconds_total":
                    node = (Later(node.Time, time), (ulong)(value * 1e9), node.Memory);
                    break;
                case "node_memory_working_set_bytes":
                    node = (Later(node.Time, time), node.Cpu, (ulong)value);
                    break;
                case "container_cpu_usage_seconds_total" or "container_memory_working_set_bytes" or "container_start_time_seconds":
                    if (!labels.TryGetValue("namespace", out var ns) || !labels.TryGetValue("pod", out var pod) || !labels.TryGetValue("container", out var container))
                    {
                        break;
                    }

                    var key = (ns, pod, container);
                    containers.TryGetValue(key, out var c);
                    containers[key] = name switch
                    {
                        "container_cpu_usage_seconds_total" => (Later(c.Time, time), (ulong)(value * 1e9), c.Memory, c.Start),
                        "container_memory_working_set_bytes" => (Later(c.Time, time), c.Cpu, (ulong)value, c.Start),
                        _ => (c.Time, c.Cpu, c.Memory, DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000))),
                    };
                    break;
            }
        }

        var nodePoint = node is { Time: { } t, Cpu: { } cpu, Memory: { } memory } ? new MetricsPoint(t, cpu, memory) : null;
        var points = containers
            .Where(c => c.Value is { Time: not null, Cpu: not null, Memory: not null })
            .ToDictionary(c => c.Key, c => new MetricsPoint(c.Value.Time!.Value, c.Value.Cpu!.Value, c.Value.Memory!.Value, c.Value.Start));
        return new Result(nodePoint, points);
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    /// <summary>One sample line: <c>name{a="b",...} value [timestamp-ms]</c>.</summary>
    public static bool TryParseSample(string line, out string name, out Dictionary<string, string> labels, out double value, out DateTimeOffset? timestamp)
    {
        ArgumentNullException.ThrowIfNull(line);
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        value = 0;
        timestamp = null;
        var nameEnd = line.IndexOfAny(['{', ' ']);
        name = nameEnd < 0 ? line : line[..nameEnd];
        if (nameEnd < 0)
        {
            return false;
        }

        var rest = line[nameEnd..];
        if (rest[0] == '{')
        {
            var i = 1;
            while (i < rest.Length && rest[i] != '}')
            {
                var eq = rest.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= rest.Length || rest[eq + 1] != '"')
                {
                    return false;
                }

                var labelName = rest[i..eq].Trim().TrimStart(',').Trim();
                var text = new System.Text.StringBuilder();
                var j = eq + 2;
                for (; j < rest.Length && rest[j] != '"'; j++)
                {
                    if (rest[j] == '\\' && j + 1 < rest.Length)
                    {
                        j++;
                        text.Append(rest[j] == 'n' ? '\n' : rest[j]);
                    }
                    else
                    {
                        text.Append(rest[j]);
                    }
                }

                labels[labelName] = text.ToString();
                i = j + 1;
                while (i < rest.Length && rest[i] is ',' or ' ')
                {
                    i++;
                }
            }

            rest = i < rest.Length ? rest[(i + 1)..] : string.Empty;
        }

        var fields = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        if (fields.Length > 1 && long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            timestamp = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return true;
    }
}
