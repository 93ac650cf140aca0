namespace Flotilla.Scheduler.Queue;

/// <summary>The active queue's order, as upstream's PrioritySort plugin: higher <c>spec.priority</c> first, then the older pod.</summary>
internal sealed class PrioritySort : IComparer<QueuedPodInfo>
{
    public static PrioritySort Instance { get; } = new();

    public int Compare(QueuedPodInfo? x, QueuedPodInfo? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var byPriority = Priority(y).CompareTo(Priority(x));
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byAge = x.Timestamp.CompareTo(y.Timestamp);
        return byAge != 0 ? byAge : x.Sequence.CompareTo(y.Sequence);
    }

    private static int Priority(QueuedPodInfo info) => info.Pod.Spec?.Priority ?? 0;
}
