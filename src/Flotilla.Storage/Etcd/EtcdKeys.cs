using System.Text;
using Google.Protobuf;
using EtcdEvent = Mvccpb.Event;
using EtcdKeyValue = Mvccpb.KeyValue;

namespace Flotilla.Storage.Etcd;

/// <summary>This store's part of etcd's key space: keys gain the prefix on the way in and lose it on the way out.</summary>
internal sealed class EtcdKeys(string prefix)
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);

    public ByteString Encode(string key)
    {
        var bytes = new byte[_prefix.Length + Encoding.UTF8.GetByteCount(key)];
        _prefix.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(key, bytes.AsSpan(_prefix.Length));
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    public string DecodeKey(ByteString key) => Encoding.UTF8.GetString(key.Span[_prefix.Length..]);

    public KeyValue Decode(EtcdKeyValue kv) =>
        new(DecodeKey(kv.Key), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision, kv.Lease);

    public WatchEvent Decode(EtcdEvent e)
    {
        var prev = e.PrevKv is null ? null : Decode(e.PrevKv);
        return e.Type == EtcdEvent.Types.EventType.Delete
            ? new WatchEvent(WatchEventType.Delete, new KeyValue(DecodeKey(e.Kv.Key), [], 0, e.Kv.ModRevision), prev)
            : new WatchEvent(WatchEventType.Put, Decode(e.Kv), prev);
    }
}
