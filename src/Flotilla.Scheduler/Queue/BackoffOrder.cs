namespace Flotilla.Scheduler.Queue;

/// <summary>The backoff queue's order: the pod whose back-off ends first is first.</summary>
internal sealed class BackoffOrder : IComparer<QueuedPodInfo>
{
    public static BackoffOrder Instance { get; } = new();

    public int Compare(QueuedPodInfo? x, QueuedPodInfo? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byExpiry = x.BackoffExpiry.CompareTo(y.BackoffExpiry);
        return byExpiry != 0 ? byExpiry : x.Sequence.CompareTo(y.Sequence);
    }
}
