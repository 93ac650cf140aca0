namespace Flotilla.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The database file; created with its directory when missing.</summary>
    public required string Path { get; init; }

    /// <summary>How much history to keep: each interval compacts to the revision current one interval earlier, as kube-apiserver does. Zero disables.</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many recent changes watches are served from memory; older starts read the durable log.</summary>
    public int EventLogCapacity { get; init; } = 100_000;

    /// <summary>The most writes coalesced into one transaction (and one fsync).</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>How often expired leases are looked for.</summary>
    public TimeSpan LeaseCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
