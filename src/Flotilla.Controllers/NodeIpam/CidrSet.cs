using System.Net;
using System.Net.Sockets;

namespace Flotilla.Controllers.NodeIpam;

/// <summary>
/// The node subnets of the cluster CIDR (upstream cidrset): <c>10.42.0.0/16</c> cut into <c>/24</c>s, each free or
/// used. Allocation scans from just after the last one handed out, wrapping around, so a released subnet is not
/// reused at once.
/// </summary>
public sealed class CidrSet
{
    private readonly uint _base;
    private readonly int _clusterBits;
    private readonly bool[] _used;
    private readonly Lock _gate = new();
    private int _next;

    public CidrSet(string clusterCidr, int nodeMaskSize)
    {
        (var network, _clusterBits) = Parse(clusterCidr);
        if (nodeMaskSize < _clusterBits || nodeMaskSize > 32)
        {
            throw new ArgumentException($"node CIDR mask size {nodeMaskSize} does not fit the cluster CIDR {clusterCidr}", nameof(nodeMaskSize));
        }

        if (nodeMaskSize - _clusterBits > 16)
        {
            throw new ArgumentException($"the cluster CIDR {clusterCidr} holds more than 65536 node subnets of /{nodeMaskSize}", nameof(nodeMaskSize));
        }

        NodeMaskSize = nodeMaskSize;
        _base = network;
        _used = new bool[1 << (nodeMaskSize - _clusterBits)];
    }

    public int NodeMaskSize { get; }

    public int Capacity => _used.Length;

    public int Used
    {
        get
        {
            lock (_gate)
            {
                return _used.Count(u => u);
            }
        }
    }

    /// <summary>The next free subnet, or null when every one is used.</summary>
    public string? AllocateNext()
    {
        lock (_gate)
        {
            for (var i = 0; i < _used.Length; i++)
            {
                var candidate = (_next + i) % _used.Length;
                if (!_used[candidate])
                {
                    _used[candidate] = true;
                    _next = (candidate + 1) % _used.Length;
                    return Format(candidate);
                }
            }

            return null;
        }
    }

    /// <summary>Marks a subnet used (one a node had before this allocator started); false when it is not one of this set's.</summary>
    public bool Occupy(string cidr) => Mark(cidr, used: true);

    public bool Release(string cidr) => Mark(cidr, used: false);

    private bool Mark(string cidr, bool used)
    {
        if (Index(cidr) is not { } index)
        {
            return false;
        }

        lock (_gate)
        {
            _used[index] = used;
        }

        return true;
    }

    private int? Index(string cidr)
    {
        if (!TryParse(cidr, out var network, out var bits) || bits != NodeMaskSize)
        {
            return null;
        }

        var offset = network - _base;
        var index = offset >> (32 - NodeMaskSize);
        return network >= _base && index < _used.Length && (offset & ((1u << (32 - NodeMaskSize)) - 1)) == 0 ? (int)index : null;
    }

    private string Format(int index)
    {
        var address = _base + ((uint)index << (32 - NodeMaskSize));
        return $"{new IPAddress([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address])}/{NodeMaskSize}";
    }

    private static (uint Network, int Bits) Parse(string cidr) =>
        TryParse(cidr, out var network, out var bits) ? (network, bits) : throw new ArgumentException($"{cidr} is not an IPv4 CIDR", nameof(cidr));

    private static bool TryParse(string cidr, out uint network, out int bits)
    {
        network = 0;
        bits = 0;
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork ||
            !int.TryParse(cidr[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits) || bits > 32)
        {
            return false;
        }

        var bytes = ip.GetAddressBytes();
        var value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        network = bits == 0 ? 0 : value & (uint.MaxValue << (32 - bits));
        return true;
    }
}
