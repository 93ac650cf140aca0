using System.Globalization;

namespace Flotilla.ApiServer.MetricsApi;

/// <summary>One reading of a node or container (metrics-server's MetricsPoint): cumulative CPU nanoseconds and the working set, at a time.</summary>
public sealed record MetricsPoint(DateTimeOffset Timestamp, ulong CumulativeCpuNanoSeconds, ulong MemoryBytes, DateTimeOffset? StartTime = null);

/// <summary>What two readings say (metrics-server's resourceUsage): the CPU rate over the window between them, the memory of the last.</summary>
public sealed record MetricsUsage(DateTimeOffset Timestamp, TimeSpan Window, ulong CpuNanoCores, ulong MemoryBytes)
{
    /// <summary>Null when the two cannot be compared: no time between them, or CPU went backwards (a restart).</summary>
    public static MetricsUsage? Between(MetricsPoint previous, MetricsPoint last)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(last);
        var window = last.Timestamp - previous.Timestamp;
        if (window <= TimeSpan.Zero || last.CumulativeCpuNanoSeconds < previous.CumulativeCpuNanoSeconds)
        {
            return null;
        }

        var rate = (last.CumulativeCpuNanoSeconds - previous.CumulativeCpuNanoSeconds) / window.TotalSeconds;
        return new MetricsUsage(last.Timestamp, window, (ulong)rate, last.MemoryBytes);
    }

    /// <summary>CPU as a canonical quantity (nanocores reduced to <c>u</c>, <c>m</c> or whole cores when exact), as apimachinery prints it.</summary>
    public static string Cpu(ulong nanoCores) =>
        nanoCores == 0 ? "0"
        : nanoCores % 1_000_000_000 == 0 ? (nanoCores / 1_000_000_000).ToString(CultureInfo.InvariantCulture)
        : nanoCores % 1_000_000 == 0 ? (nanoCores / 1_000_000).ToString(CultureInfo.InvariantCulture) + "m"
        : nanoCores % 1_000 == 0 ? (nanoCores / 1_000).ToString(CultureInfo.InvariantCulture) + "u"
        : nanoCores.ToString(CultureInfo.InvariantCulture) + "n";

    /// <summary>Memory as a canonical binary quantity (<c>Ki</c>, <c>Mi</c>, ... while exact).</summary>
    public static string Memory(ulong bytes)
    {
        string[] suffixes = [string.Empty, "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var i = 0;
        while (bytes != 0 && bytes % 1024 == 0 && i < suffixes.Length - 1)
        {
            bytes /= 1024;
            i++;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + suffixes[i];
    }
}
