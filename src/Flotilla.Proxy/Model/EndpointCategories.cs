namespace Flotilla.Proxy.Model;

/// <summary>
/// Which endpoints a service port's traffic may go to (upstream's CategorizeEndpoints, without topology hints): the
/// ready ones, or when none is ready the serving ones that are terminating (so connections drain rather than fail);
/// the local ones likewise among this node's.
/// </summary>
public sealed record EndpointCategories(IReadOnlyList<Endpoint> Cluster, IReadOnlyList<Endpoint> Local, IReadOnlyList<Endpoint> AllReachable, bool HasAny)
{
    public static EndpointCategories Of(ServicePort port, IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(endpoints);
        var usable = Usable(endpoints);
        var cluster = port.UsesClusterEndpoints ? usable : [];
        if (!port.UsesLocalEndpoints)
        {
            return new EndpointCategories(cluster, [], cluster, usable.Count > 0);
        }

        var local = Usable([.. endpoints.Where(e => e.IsLocal)]);
        var all = cluster.Union(local).OrderBy(e => e.ToString(), StringComparer.Ordinal).ToList();
        return new EndpointCategories(cluster, local, all, usable.Count > 0);
    }

    private static List<Endpoint> Usable(IReadOnlyList<Endpoint> endpoints)
    {
        var ready = endpoints.Where(e => e.Ready).ToList();
        return ready.Count > 0 ? ready : [.. endpoints.Where(e => e.Serving && e.Terminating)];
    }
}
