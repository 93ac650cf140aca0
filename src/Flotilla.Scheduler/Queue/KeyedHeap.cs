using System.Diagnostics.CodeAnalysis;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// A binary min-heap that also finds items by key (upstream's scheduler heap): add, update and remove by key in
/// O(log n), so deleting one of 10,000 pending pods does not scan the queue. Not thread-safe.
/// </summary>
internal sealed class KeyedHeap<T>
    where T : class
{
    private readonly List<T> _items = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly Func<T, string> _key;
    private readonly IComparer<T> _comparer;

    public KeyedHeap(Func<T, string> key, IComparer<T> comparer)
    {
        _key = key;
        _comparer = comparer;
    }

    public int Count => _items.Count;

    /// <summary>The items in heap order, which is not sorted order.</summary>
    public IReadOnlyList<T> Items => _items;

    public bool Contains(string key) => _positions.ContainsKey(key);

    public bool TryGet(string key, [MaybeNullWhen(false)] out T item)
    {
        if (_positions.TryGetValue(key, out var index))
        {
            item = _items[index];
            return true;
        }

        item = null;
        return false;
    }

    /// <summary>Adds the item, or replaces the one with the same key and moves it to its new place.</summary>
    public void AddOrUpdate(T item)
    {
        var key = _key(item);
        if (_positions.TryGetValue(key, out var index))
        {
            _items[index] = item;
            Fix(index);
            return;
        }

        _items.Add(item);
        _positions[key] = _items.Count - 1;
        Up(_items.Count - 1);
    }

    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        item = _items.Count > 0 ? _items[0] : null;
        return item is not null;
    }

    public bool TryPop([MaybeNullWhen(false)] out T item)
    {
        if (_items.Count == 0)
        {
            item = null;
            return false;
        }

        item = _items[0];
        RemoveAt(0);
        return true;
    }

    public bool Remove(string key, [MaybeNullWhen(false)] out T item)
    {
        if (!_positions.TryGetValue(key, out var index))
        {
            item = null;
            return false;
        }

        item = _items[index];
        RemoveAt(index);
        return true;
    }

    private void RemoveAt(int index)
    {
        _positions.Remove(_key(_items[index]));
        var last = _items.Count - 1;
        if (index != last)
        {
            _items[index] = _items[last];
            _positions[_key(_items[index])] = index;
        }

        _items.RemoveAt(last);
        if (index < _items.Count)
        {
            Fix(index);
        }
    }

    private void Fix(int index)
    {
        if (!Up(index))
        {
            Down(index);
        }
    }

    private bool Up(int index)
    {
        var moved = false;
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (_comparer.Compare(_items[index], _items[parent]) >= 0)
            {
                break;
            }

            Swap(index, parent);
            index = parent;
            moved = true;
        }

        return moved;
    }

    private void Down(int index)
    {
        while (true)
        {
            var smallest = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            if (left < _items.Count && _comparer.Compare(_items[left], _items[smallest]) < 0)
            {
                smallest = left;
            }

            if (right < _items.Count && _comparer.Compare(_items[right], _items[smallest]) < 0)
            {
                smallest = right;
            }

            if (smallest == index)
            {
                return;
            }

            Swap(index, smallest);
            index = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_items[a], _items[b]) = (_items[b], _items[a]);
        _positions[_key(_items[a])] = a;
        _positions[_key(_items[b])] = b;
    }
}
