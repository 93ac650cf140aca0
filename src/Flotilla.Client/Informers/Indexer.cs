using k8s;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>
/// An informer's local cache (client-go's thread-safe indexed store): objects by key, plus named indexes from an
/// index value to the keys of the objects found under it. Objects are shared: callers deep-copy before changing one.
/// </summary>
public sealed class Indexer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indexes = new(StringComparer.Ordinal);

    public Indexer()
    {
        AddIndex(Indexers.Namespace, Indexers.ByNamespace);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>
    /// Adds a named index and indexes what is already cached. Asking again for the same index (same function) is a
    /// no-op, so controllers sharing an informer can each ask for what they need.
    /// </summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> function)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        lock (_gate)
        {
            if (_functions.TryGetValue(name, out var existing))
            {
                if (!existing.Equals(function))
                {
                    throw new InvalidOperationException($"index {name} already exists");
                }

                return;
            }

            _functions[name] = function;

            var index = _indexes[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, item) in _items)
            {
                Insert(index, function(item), key);
            }
        }
    }

    public T? Get(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<string> Keys()
    {
        lock (_gate)
        {
            return [.. _items.Keys];
        }
    }

    /// <summary>The objects found under <paramref name="value"/> in the index <paramref name="name"/>.</summary>
    public IReadOnlyList<T> ByIndex(string name, string value)
    {
        lock (_gate)
        {
            var index = _indexes.GetValueOrDefault(name) ?? throw new ArgumentException($"no index named {name}", nameof(name));
            return index.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Stores <paramref name="item"/> under <paramref name="key"/>; returns what it replaced.</summary>
    public T? Upsert(string key, T item)
    {
        lock (_gate)
        {
            var old = _items.GetValueOrDefault(key);
            _items[key] = item;
            foreach (var (name, function) in _functions)
            {
                if (old is not null)
                {
                    Remove(_indexes[name], function(old), key);
                }

                Insert(_indexes[name], function(item), key);
            }

            return old;
        }
    }

    /// <summary>Removes the object under <paramref name="key"/>; returns it (null when there was none).</summary>
    public T? Remove(string key)
    {
        lock (_gate)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            foreach (var (name, function) in _functions)
            {
                Remove(_indexes[name], function(old), key);
            }

            return old;
        }
    }

    private static void Insert(Dictionary<string, HashSet<string>> index, IEnumerable<string> values, string key)
    {
        foreach (var value in values)
        {
            if (!index.TryGetValue(value, out var keys))
            {
                index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }
    }

    private static void Remove(Dictionary<string, HashSet<string>> index, IEnumerable<string> values, string key)
    {
        foreach (var value in values)
        {
            if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                index.Remove(value);
            }
        }
    }
}
