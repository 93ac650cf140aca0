using Prometheus;

namespace Flotilla.Scheduler;

/// <summary>kube-scheduler's metric names for what Flotilla measures.</summary>
internal static class SchedulerMetrics
{
    public static Counter Attempts { get; } = Metrics.CreateCounter(
        "scheduler_schedule_attempts_total", "Scheduling attempts by result.", "result", "profile");

    public static Histogram AttemptDuration { get; } = Metrics.CreateHistogram(
        "scheduler_scheduling_attempt_duration_seconds", "Scheduling attempt latency (algorithm + binding).",
        new HistogramConfiguration { LabelNames = ["result", "profile"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
}
