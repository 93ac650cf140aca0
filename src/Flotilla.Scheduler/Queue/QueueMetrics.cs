using Prometheus;

namespace Flotilla.Scheduler.Queue;

/// <summary>The queue's metrics, named and labelled as kube-scheduler's so existing dashboards read them.</summary>
internal sealed class QueueMetrics
{
    private readonly Counter _incoming;
    private readonly Gauge.Child[] _pending;

    public QueueMetrics(IMetricFactory factory)
    {
        var pending = factory.CreateGauge(
            "scheduler_pending_pods",
            "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
            ["queue"]);
        _pending = [.. Enum.GetValues<PendingQueue>().Select(q => pending.WithLabels(Label(q)))];
        _incoming = factory.CreateCounter(
            "scheduler_queue_incoming_pods_total",
            "Number of pods added to scheduling queues by event and queue type.",
            ["queue", "event"]);
    }

    public void SetPending(PendingQueue queue, int count) => _pending[(int)queue].Set(count);

    public void Incoming(PendingQueue queue, string @event) => _incoming.WithLabels(Label(queue), @event).Inc();

    private static string Label(PendingQueue queue) => queue switch
    {
        PendingQueue.Active => "active",
        PendingQueue.Backoff => "backoff",
        PendingQueue.Unschedulable => "unschedulable",
        _ => "gated",
    };
}
