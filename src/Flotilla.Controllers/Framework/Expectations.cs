using System.Collections.Concurrent;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// Upstream's UIDTrackingControllerExpectations: what a controller expects its informer to show after its own
/// creates and deletes. While expectations are pending the controller does not act on its (stale) cache again, so a
/// slow cache never causes a second round of creations. Deletions are tracked by pod key, so the update that marks a
/// pod deleting and the delete that removes it count once. Expectations older than five minutes are given up on.
/// </summary>
public sealed class Expectations(TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>True when the controller may act on its cache: nothing expected, all observed, or expired.</summary>
    public bool Satisfied(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return true;
        }

        lock (entry)
        {
            return (entry.Adds <= 0 && entry.Deletes.Count == 0) || time.GetUtcNow() - entry.SetAt > Timeout;
        }
    }

    public void ExpectCreations(string key, int count) => _entries[key] = new Entry(count, [], time.GetUtcNow());

    public void ExpectDeletions(string key, IEnumerable<string> podKeys) => _entries[key] = new Entry(0, [.. podKeys], time.GetUtcNow());

    /// <summary>Both at once (upstream's SetExpectations), for a controller that creates and deletes in one pass.</summary>
    public void ExpectCreationsAndDeletions(string key, int count, IEnumerable<string> podKeys) => _entries[key] = new Entry(count, [.. podKeys], time.GetUtcNow());

    /// <summary>A pod the controller created showed up (or a create it expected was not made).</summary>
    public void CreationObserved(string key)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            lock (entry)
            {
                entry.Adds--;
            }
        }
    }

    /// <summary>A pod the controller deleted went (or started to go); pods it did not delete are ignored.</summary>
    public void DeletionObserved(string key, string podKey)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            lock (entry)
            {
                entry.Deletes.Remove(podKey);
            }
        }
    }

    public void Delete(string key) => _entries.TryRemove(key, out _);

    private sealed class Entry(int adds, HashSet<string> deletes, DateTimeOffset setAt)
    {
        public int Adds { get; set; } = adds;

        public HashSet<string> Deletes { get; } = deletes;

        public DateTimeOffset SetAt { get; } = setAt;
    }
}
