using System.Collections.Concurrent;

namespace Flotilla.Bench.ApiServer;

/// <summary>Latencies from many tasks, summarised as percentiles in milliseconds.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentBag<double> _samples = [];

    public int Count => _samples.Count;

    public void Add(TimeSpan elapsed) => _samples.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        var sorted = _samples.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
