using Prometheus;

namespace Flotilla.Client.WorkQueue;

/// <summary>client-go's workqueue metrics, labelled by queue name.</summary>
internal static class WorkQueueMetrics
{
    public static readonly Gauge Depth = Metrics.CreateGauge("workqueue_depth", "Current depth of workqueue", "name");

    public static readonly Counter Adds = Metrics.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", "name");

    public static readonly Counter Retries = Metrics.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", "name");

    public static readonly Histogram QueueDuration = Metrics.CreateHistogram(
        "workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested.",
        new HistogramConfiguration { LabelNames = ["name"], Buckets = Histogram.ExponentialBuckets(1e-8, 10, 10) });

    public static readonly Histogram WorkDuration = Metrics.CreateHistogram(
        "workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.",
        new HistogramConfiguration { LabelNames = ["name"], Buckets = Histogram.ExponentialBuckets(1e-8, 10, 10) });
}
