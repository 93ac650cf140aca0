namespace Flotilla.ApiServer.Registry.Allocation;

/// <summary>Node ports from a range (30000–32767 by default), random when not asked for. Thread-safe.</summary>
public sealed class PortAllocator(int first = 30000, int last = 32767, Random? random = null)
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _used = [];
    private readonly Random _random = random ?? Random.Shared;

    public string Range => $"{first}-{last}";

    public int? AllocateNext()
    {
        lock (_gate)
        {
            var count = last - first + 1;
            var start = _random.Next(count);
            for (var i = 0; i < count; i++)
            {
                var port = first + ((start + i) % count);
                if (_used.Add(port))
                {
                    return port;
                }
            }

            return null;
        }
    }

    public AllocationResult Allocate(int port)
    {
        if (port < first || port > last)
        {
            return AllocationResult.OutOfRange;
        }

        lock (_gate)
        {
            return _used.Add(port) ? AllocationResult.Allocated : AllocationResult.InUse;
        }
    }

    public void Release(int? port)
    {
        if (port is { } p)
        {
            lock (_gate)
            {
                _used.Remove(p);
            }
        }
    }
}
