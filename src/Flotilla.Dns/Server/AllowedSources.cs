using System.Net;
using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Dns.Server;

/// <summary>Who the DNS answers when it is restricted: the given networks and every Node's addresses (nodes masquerade their pods' queries).</summary>
public sealed class AllowedSources
{
    private readonly IReadOnlyList<IPNetwork> _networks;
    private volatile HashSet<IPAddress> _nodes = [];

    public AllowedSources(IReadOnlyList<IPNetwork> networks, SharedInformer<V1Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(nodes);
        _networks = networks;
        void Rebuild() => _nodes = [.. nodes.Lister.List()
            .SelectMany(n => n.Status?.Addresses ?? [])
            .Select(a => IPAddress.TryParse(a.Address, out var ip) ? ip : null)
            .OfType<IPAddress>()];
        nodes.AddEventHandler(new ResourceEventHandler<V1Node> { OnAdd = (_, _) => Rebuild(), OnUpdate = (_, _) => Rebuild(), OnDelete = _ => Rebuild() });
    }

    public bool Allows(IPAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var address = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        return _networks.Any(n => n.Contains(address)) || _nodes.Contains(address);
    }
}
