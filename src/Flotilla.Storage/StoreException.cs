namespace Flotilla.Storage;

/// <summary>A store failure with its cause; on <see cref="StoreError.Conflict"/> it carries the key's current version.</summary>
public sealed class StoreException : Exception
{
    public StoreException(StoreError error, string message, KeyValue? current = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Current = current;
    }

    public StoreError Error { get; }

    public KeyValue? Current { get; }

    public static StoreException KeyExists(string key) => new(StoreError.KeyExists, $"key {key} already exists");

    public static StoreException NotFound(string key) => new(StoreError.NotFound, $"key {key} not found");

    public static StoreException Conflict(string key, long expected, KeyValue? current) =>
        new(StoreError.Conflict, $"key {key} was modified: expected mod revision {expected}, found {current?.ModRevision ?? 0}", current);

    public static StoreException Compacted(long revision, long compacted) =>
        new(StoreError.Compacted, $"revision {revision} has been compacted (history starts after {compacted})");

    public static StoreException FutureRevision(long revision, long current) =>
        new(StoreError.FutureRevision, $"revision {revision} is newer than the current revision {current}");

    public static StoreException LeaseNotFound(long lease) => new(StoreError.LeaseNotFound, $"lease {lease} not found");

    /// <summary>As kube-apiserver words a value its transformers cannot read.</summary>
    public static StoreException Undecryptable(string key, string reason, Exception? inner = null) =>
        new(StoreError.Undecryptable, $"unable to transform key \"{key}\": {reason}", inner: inner);
}
