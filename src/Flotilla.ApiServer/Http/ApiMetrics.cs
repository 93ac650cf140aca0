using Prometheus;

namespace Flotilla.ApiServer.Http;

/// <summary>The API server's Prometheus metrics, named as kube-apiserver's so existing dashboards read them.</summary>
public static class ApiMetrics
{
    public static Counter Requests { get; } = Metrics.CreateCounter(
        "apiserver_request_total", "Counter of apiserver requests broken out for each verb, resource and HTTP response code.", "verb", "group", "resource", "subresource", "code");

    public static Histogram RequestDuration { get; } = Metrics.CreateHistogram(
        "apiserver_request_duration_seconds", "Response latency distribution in seconds for each verb, resource and subresource.",
        new HistogramConfiguration
        {
            LabelNames = ["verb", "group", "resource", "subresource"],
            Buckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
        });

    public static Gauge Watchers { get; } = Metrics.CreateGauge(
        "apiserver_longrunning_requests", "Gauge of all active long-running apiserver requests (watches, logs, proxies).", "verb", "group", "resource");

    public static Histogram StoreDuration { get; } = Metrics.CreateHistogram(
        "flotilla_store_request_duration_seconds", "Store request latency by operation, as seen by the API server.",
        new HistogramConfiguration { LabelNames = ["operation"], Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    public static Counter Rejected { get; } = Metrics.CreateCounter(
        "apiserver_dropped_requests_total", "Requests dropped with 429 because too many were in flight.", "request_kind");
}
