using System.Diagnostics.CodeAnalysis;

namespace Flotilla.Client.Events;

/// <summary>
/// A map of bounded size that forgets its least recently used entry first (groupcache's lru.Cache, which client-go's
/// event caches use). Not thread-safe.
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _entries = [];
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _recency = new();  // most recently used first

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (!_entries.TryGetValue(key, out var node))
        {
            value = default;
            return false;
        }

        Touch(node);
        value = node.Value.Value;
        return true;
    }

    public void Set(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            node.Value = new(key, value);
            Touch(node);
            return;
        }

        _entries[key] = _recency.AddFirst(new KeyValuePair<TKey, TValue>(key, value));
        if (_entries.Count > _capacity)
        {
            _entries.Remove(_recency.Last!.Value.Key);
            _recency.RemoveLast();
        }
    }

    private void Touch(LinkedListNode<KeyValuePair<TKey, TValue>> node)
    {
        _recency.Remove(node);
        _recency.AddFirst(node);
    }
}
