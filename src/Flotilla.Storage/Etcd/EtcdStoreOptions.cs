namespace Flotilla.Storage.Etcd;

/// <summary>How to reach an etcd cluster (v3.4 or newer) and which part of its key space this store owns.</summary>
public sealed record EtcdStoreOptions
{
    /// <summary>Client URLs of the members, e.g. <c>http://127.0.0.1:2379</c>; requests are balanced over the reachable ones.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    /// <summary>Prepended to every key so several clusters can share one etcd; callers never see it.</summary>
    public string KeyPrefix { get; init; } = "";

    /// <summary>Bounds dialing a member and every request except watches (which live until cancelled).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
