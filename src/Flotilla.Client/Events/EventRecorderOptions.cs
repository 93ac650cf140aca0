namespace Flotilla.Client.Events;

/// <summary>Who records events, and how hard the recorder tries to write them (client-go's defaults).</summary>
public sealed record EventRecorderOptions
{
    /// <summary>The reporting component: <c>source.component</c> and <c>reportingComponent</c>, e.g. <c>default-scheduler</c>.</summary>
    public required string Component { get; init; }

    /// <summary>Where it runs: <c>source.host</c> and <c>reportingInstance</c>, e.g. the kubelet's node name.</summary>
    public string? Host { get; init; }

    /// <summary>Events waiting to be written; more are dropped (upstream's maxQueuedEvents).</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>Attempts to write one event before it is dropped (upstream's maxTriesPerEvent).</summary>
    public int MaxTries { get; init; } = 12;

    /// <summary>The wait between attempts; the first wait is a random part of it, so clients do not retry in step.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposing waits for the events still queued to be written (one attempt each).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public EventCorrelatorOptions Correlator { get; init; } = new();
}
