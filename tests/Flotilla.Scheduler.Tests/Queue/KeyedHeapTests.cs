using Flotilla.Scheduler.Queue;

namespace Flotilla.Scheduler.Tests.Queue;

public sealed class KeyedHeapTests
{
    [Fact]
    public void RandomOperations_MatchASortedReference()
    {
        var heap = new KeyedHeap<Item>(i => i.Key, Comparer<Item>.Create((a, b) => a.Value.CompareTo(b.Value) is var c and not 0 ? c : string.CompareOrdinal(a.Key, b.Key)));
        var reference = new Dictionary<string, int>();
        var random = new Random(42);
        for (var step = 0; step < 20_000; step++)
        {
            var key = $"k{random.Next(500)}";
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    var value = random.Next(1000);
                    heap.AddOrUpdate(new Item(key, value));
                    reference[key] = value;
                    break;
                case 2:
                    Assert.Equal(reference.Remove(key), heap.Remove(key, out _));
                    break;
                default:
                    if (heap.TryPop(out var popped))
                    {
                        var expected = reference.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First();
                        Assert.Equal(new Item(expected.Key, expected.Value), popped);
                        reference.Remove(popped.Key);
                    }
                    else
                    {
                        Assert.Empty(reference);
                    }

                    break;
            }

            Assert.Equal(reference.Count, heap.Count);
        }

        Assert.All(reference, kv => Assert.True(heap.TryGet(kv.Key, out var item) && item.Value == kv.Value));
    }

    [Fact]
    public void Empty_PeekAndPopFail()
    {
        var heap = new KeyedHeap<Item>(i => i.Key, Comparer<Item>.Create((a, b) => a.Value.CompareTo(b.Value)));

        Assert.False(heap.TryPeek(out _));
        Assert.False(heap.TryPop(out _));
        Assert.False(heap.Remove("x", out _));
    }

    private sealed record Item(string Key, int Value);
}
