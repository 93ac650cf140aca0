namespace Flotilla.Client.Events;

/// <summary>The event correlator's limits, with client-go's defaults (record.CorrelatorOptions).</summary>
public sealed record EventCorrelatorOptions
{
    /// <summary>Entries each of the correlator's caches keeps (spam buckets, similar-event groups, recorded events).</summary>
    public int CacheSize { get; init; } = 4096;

    /// <summary>Events one source may record about one object in a burst.</summary>
    public int SpamBurst { get; init; } = 25;

    /// <summary>After the burst, one more event per this interval.</summary>
    public TimeSpan SpamRefillInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Distinct messages among similar events at which they start to be combined (the 10th is the first combined).</summary>
    public int AggregateMaxEvents { get; init; } = 10;

    /// <summary>How long after the last similar event a new one still counts as similar to it.</summary>
    public TimeSpan AggregateWindow { get; init; } = TimeSpan.FromMinutes(10);
}
