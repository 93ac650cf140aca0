namespace Flotilla.Storage;

/// <summary>One version of a key. For a deletion event the value is empty and <see cref="ModRevision"/> is the deletion's revision.</summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision, long Lease = 0);
