using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>
/// Endpoints subsets in canonical form (upstream RepackSubsets): one subset per distinct set of addresses, holding
/// every port those addresses offer, addresses de-duplicated by IP and pod UID and sorted, so two syncs over the same
/// pods write the same object. An address not ready on a port is not ready there, whatever else says it is.
/// </summary>
public static class EndpointSubsets
{
    /// <summary>Upstream maxCapacity: an Endpoints object holds at most this many addresses.</summary>
    public const int MaxAddresses = 1000;

    public const string OverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";

    // Upstream's sentinel for addresses of a headless Service with no ports: kept, not dropped.
    private static readonly Corev1EndpointPort NoPort = new() { Port = -1 };

    public static List<V1EndpointSubset> Repack(IEnumerable<V1EndpointSubset> subsets)
    {
        var addresses = new Dictionary<(string Ip, string? Uid), V1EndpointAddress>();
        var byPort = new Dictionary<string, (Corev1EndpointPort Port, Dictionary<(string, string?), bool> Ready)>(StringComparer.Ordinal);
        foreach (var subset in subsets)
        {
            var ports = subset.Ports is { Count: > 0 } p ? p : [NoPort];
            foreach (var port in ports)
            {
                var portKey = PortKey(port);
                if (!byPort.TryGetValue(portKey, out var entry))
                {
                    entry = (port, []);
                    byPort[portKey] = entry;
                }

                Map(subset.Addresses, ready: true, addresses, entry.Ready);
                Map(subset.NotReadyAddresses, ready: false, addresses, entry.Ready);
            }
        }

        // Ports offered by the same addresses (with the same readiness) share a subset.
        var groups = byPort.Values
            .GroupBy(e => string.Join('|', e.Ready.OrderBy(a => a.Key.Item1, StringComparer.Ordinal).ThenBy(a => a.Key.Item2, StringComparer.Ordinal).Select(a => $"{a.Key.Item1}/{a.Key.Item2}/{a.Value}")), StringComparer.Ordinal);
        var result = new List<V1EndpointSubset>();
        foreach (var group in groups)
        {
            var ready = group.First().Ready;
            var ports = group.Select(e => e.Port).Where(p => !ReferenceEquals(p, NoPort)).OrderBy(PortKey, StringComparer.Ordinal).ToList();
            result.Add(new V1EndpointSubset
            {
                Addresses = Sorted(ready.Where(a => a.Value).Select(a => addresses[a.Key])),
                NotReadyAddresses = Sorted(ready.Where(a => !a.Value).Select(a => addresses[a.Key])),
                Ports = ports.Count == 0 ? null : ports,
            });
        }

        return result.OrderBy(SubsetKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Upstream truncateEndpoints: cuts an Endpoints object to <see cref="MaxAddresses"/> addresses, ready ones first,
    /// spread over the subsets in proportion to their size. True when it cut anything.
    /// </summary>
    public static bool Truncate(IList<V1EndpointSubset> subsets)
    {
        var totalReady = subsets.Sum(s => s.Addresses?.Count ?? 0);
        var totalNotReady = subsets.Sum(s => s.NotReadyAddresses?.Count ?? 0);
        if (totalReady + totalNotReady <= MaxAddresses)
        {
            return false;
        }

        var truncateReady = totalReady > MaxAddresses;
        var max = truncateReady ? MaxAddresses : MaxAddresses - totalReady;
        var total = truncateReady ? totalReady : totalNotReady;
        var room = max;
        foreach (var subset in subsets)
        {
            var inSubset = truncateReady ? subset.Addresses?.Count ?? 0 : subset.NotReadyAddresses?.Count ?? 0;
            var take = Math.Min((int)Math.Ceiling((double)inSubset / total * max), room);
            if (truncateReady)
            {
                subset.Addresses = subset.Addresses?.Take(take).ToList();
                subset.NotReadyAddresses = null;
                room -= subset.Addresses?.Count ?? 0;
            }
            else
            {
                subset.NotReadyAddresses = subset.NotReadyAddresses?.Take(take).ToList();
                room -= subset.NotReadyAddresses?.Count ?? 0;
            }
        }

        return true;
    }

    public static int Count(IEnumerable<V1EndpointSubset>? subsets) =>
        (subsets ?? []).Sum(s => (s.Addresses?.Count ?? 0) + (s.NotReadyAddresses?.Count ?? 0));

    /// <summary>Equal as upstream compares them: missing and empty lists alike, target references without resourceVersion.</summary>
    public static bool Same(IList<V1EndpointSubset>? a, IList<V1EndpointSubset>? b) =>
        Equal(a, b, (x, y) => Equal(x.Addresses, y.Addresses, SameAddress) && Equal(x.NotReadyAddresses, y.NotReadyAddresses, SameAddress) && Equal(x.Ports, y.Ports, (p, q) => PortKey(p) == PortKey(q)));

    private static void Map(IEnumerable<V1EndpointAddress>? list, bool ready, Dictionary<(string, string?), V1EndpointAddress> addresses, Dictionary<(string, string?), bool> readiness)
    {
        foreach (var address in list ?? [])
        {
            var key = (address.Ip, address.TargetRef?.Uid);
            addresses.TryAdd(key, address);

            // Not ready wins: an address is ready on a port only if nothing said otherwise.
            readiness[key] = readiness.TryGetValue(key, out var was) ? was && ready : ready;
        }
    }

    private static List<V1EndpointAddress>? Sorted(IEnumerable<V1EndpointAddress> addresses)
    {
        var list = addresses.OrderBy(a => a.Ip, StringComparer.Ordinal).ThenBy(a => a.TargetRef?.Uid, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : list;
    }

    private static string PortKey(Corev1EndpointPort port) => $"{port.Name}/{port.Port}/{port.Protocol}/{port.AppProtocol}";

    private static string SubsetKey(V1EndpointSubset subset) =>
        string.Join(',', (subset.Addresses ?? []).Concat(subset.NotReadyAddresses ?? []).Select(a => a.Ip)) + "#" + string.Join(',', (subset.Ports ?? []).Select(PortKey));

    private static bool SameAddress(V1EndpointAddress a, V1EndpointAddress b) =>
        a.Ip == b.Ip && a.Hostname == b.Hostname && a.NodeName == b.NodeName &&
        (a.TargetRef is null) == (b.TargetRef is null) &&
        (a.TargetRef is null || (a.TargetRef.Kind == b.TargetRef!.Kind && a.TargetRef.NamespaceProperty == b.TargetRef.NamespaceProperty && a.TargetRef.Name == b.TargetRef.Name && a.TargetRef.Uid == b.TargetRef.Uid));

    private static bool Equal<T>(IList<T>? a, IList<T>? b, Func<T, T, bool> same) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && Enumerable.Range(0, a?.Count ?? 0).All(i => same(a![i], b![i]));
}
