namespace Flotilla.Storage;

public enum WatchEventType
{
    Put,
    Delete,
}

/// <summary>A change: the key's new version (for a delete, an empty value at the deletion revision) and its previous version.</summary>
public sealed record WatchEvent(WatchEventType Type, KeyValue Kv, KeyValue? PrevKv)
{
    public long Revision => Kv.ModRevision;
}
