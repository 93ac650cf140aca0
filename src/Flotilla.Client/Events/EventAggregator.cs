using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// client-go's EventAggregator: similar events (alike but for their message) are grouped. The event that brings a
/// group to <see cref="EventCorrelatorOptions.AggregateMaxEvents"/> distinct messages, and every similar one after it,
/// is recorded as one combined event carrying the latest message — as long as each comes within the window of the one
/// before; after a longer pause the group starts afresh.
/// </summary>
internal sealed class EventAggregator(EventCorrelatorOptions options, TimeProvider time, EventNames names)
{
    public const string CombinedPrefix = "(combined from similar events): ";

    private readonly LruCache<string, (HashSet<string> Messages, DateTimeOffset Last)> _groups = new(options.CacheSize);

    /// <summary>The event to record — <paramref name="e"/> or the combined event — and the key it is deduplicated by.</summary>
    public (Corev1Event Event, string Key) Aggregate(Corev1Event e)
    {
        var now = time.GetUtcNow();
        var groupKey = EventKeys.Aggregate(e);
        if (!_groups.TryGet(groupKey, out var group) || now - group.Last > options.AggregateWindow)
        {
            group = ([], now);
        }

        group.Messages.Add(e.Message ?? string.Empty);
        _groups.Set(groupKey, (group.Messages, now));
        if (group.Messages.Count < options.AggregateMaxEvents)
        {
            return (e, EventKeys.Event(e));
        }

        // As upstream's PopAny: the set stays just under the threshold, so every further message aggregates too.
        group.Messages.Remove(group.Messages.First());

        // The combined event is keyed by its group, so each further similar event counts on it and updates its message.
        var at = Flotilla.Api.Timestamps.Of(now);
        var combined = new Corev1Event
        {
            ApiVersion = e.ApiVersion,
            Kind = e.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = names.Next(e.InvolvedObject?.Name, now),
                NamespaceProperty = e.Metadata?.NamespaceProperty,
            },
            InvolvedObject = e.InvolvedObject,
            Type = e.Type,
            Reason = e.Reason,
            Message = CombinedPrefix + e.Message,
            Count = 1,
            FirstTimestamp = at,
            LastTimestamp = at,
            Source = e.Source,
            ReportingComponent = e.ReportingComponent,
            ReportingInstance = e.ReportingInstance,
        };
        return (combined, groupKey);
    }
}
