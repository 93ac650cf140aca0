using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// client-go's EventCorrelator, which every recorded event passes before it is written: first aggregated with
/// similar events (<see cref="EventAggregator"/>), then deduplicated against the Events already recorded
/// (<see cref="EventDeduplicator"/>), then spam-filtered (<see cref="EventSpamFilter"/>). As upstream, a filtered event
/// still counts: the next one that passes carries the full count.
/// </summary>
public sealed class EventCorrelator
{
    private readonly Lock _gate = new();
    private readonly EventAggregator _aggregator;
    private readonly EventDeduplicator _deduplicator;
    private readonly EventSpamFilter _spamFilter;

    public EventCorrelator(TimeProvider time, EventCorrelatorOptions? options = null)
        : this(time, options ?? new EventCorrelatorOptions(), new EventNames())
    {
    }

    internal EventCorrelator(TimeProvider time, EventCorrelatorOptions options, EventNames names)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _aggregator = new EventAggregator(options, time, names);
        _deduplicator = new EventDeduplicator(options);
        _spamFilter = new EventSpamFilter(options, time);
    }

    public EventCorrelation Correlate(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_gate)
        {
            var (aggregated, key) = _aggregator.Aggregate(e);
            var (observed, patch) = _deduplicator.Observe(aggregated, key);
            return _spamFilter.IsSpam(observed) ? EventCorrelation.Skipped : new EventCorrelation(observed, patch);
        }
    }

    /// <summary>Takes the Event as the API server returned it after a create or patch.</summary>
    public void UpdateState(Corev1Event written)
    {
        ArgumentNullException.ThrowIfNull(written);
        lock (_gate)
        {
            _deduplicator.Update(written);
        }
    }
}
