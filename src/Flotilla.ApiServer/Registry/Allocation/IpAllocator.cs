using System.Net;
using System.Net.Sockets;

namespace Flotilla.ApiServer.Registry.Allocation;

/// <summary>
/// Cluster IPs from the service CIDR (10.43.0.0/16 by default). Network and broadcast addresses are never given;
/// random choices come from the upper part of the range first, leaving the low "static band" for addresses users
/// pick themselves (upstream's ServiceIPStaticSubrange). Thread-safe.
/// </summary>
public sealed class IpAllocator
{
    private readonly Lock _gate = new();
    private readonly uint _base;
    private readonly int _size;
    private readonly HashSet<int> _used = [];
    private readonly Random _random;

    public IpAllocator(string cidr, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        var parts = cidr.Split('/');
        var network = IPAddress.Parse(parts[0]);
        var prefix = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        if (network.AddressFamily != AddressFamily.InterNetwork || prefix is < 8 or > 30)
        {
            throw new ArgumentException($"service CIDR {cidr} must be an IPv4 range between /8 and /30", nameof(cidr));
        }

        _base = ToUInt(network) & (uint.MaxValue << (32 - prefix));
        _size = 1 << (32 - prefix);
        _random = random ?? Random.Shared;
        Cidr = cidr;
    }

    public string Cidr { get; }

    /// <summary>The address at <paramref name="offset"/> in the range (1 is the API service, 10 the DNS service).</summary>
    public string At(int offset) => ToAddress(_base + (uint)offset).ToString();

    public bool Contains(string ip) => TryOffset(ip, out _);

    /// <summary>Takes a free address, preferring the upper part of the range.</summary>
    public string? AllocateNext()
    {
        lock (_gate)
        {
            var staticBand = Math.Clamp(_size / 16, 16, 256);
            foreach (var (from, to) in new[] { (staticBand, _size - 1), (1, staticBand) })
            {
                var count = to - from;
                if (count <= 0)
                {
                    continue;
                }

                var start = _random.Next(count);
                for (var i = 0; i < count; i++)
                {
                    var offset = from + ((start + i) % count);
                    if (_used.Add(offset))
                    {
                        return At(offset);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Takes a given address: false when it is outside the range or already taken.</summary>
    public AllocationResult Allocate(string ip)
    {
        if (!TryOffset(ip, out var offset))
        {
            return AllocationResult.OutOfRange;
        }

        lock (_gate)
        {
            return _used.Add(offset) ? AllocationResult.Allocated : AllocationResult.InUse;
        }
    }

    public void Release(string? ip)
    {
        if (ip is not null && TryOffset(ip, out var offset))
        {
            lock (_gate)
            {
                _used.Remove(offset);
            }
        }
    }

    private bool TryOffset(string ip, out int offset)
    {
        offset = 0;
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var delta = (long)ToUInt(address) - _base;
        if (delta <= 0 || delta >= _size - 1)
        {
            return false;
        }

        offset = (int)delta;
        return true;
    }

    private static uint ToUInt(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
