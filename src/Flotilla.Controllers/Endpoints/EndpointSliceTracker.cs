using Flotilla.Api.Services;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>
/// The generation of every EndpointSlice this controller last wrote, per Service (upstream EndpointSliceTracker):
/// a slice event at a generation it wrote itself needs no sync, and a cache still showing an older generation, or a
/// slice it deleted, is stale — the sync waits rather than act on it and write duplicates.
/// </summary>
public sealed class EndpointSliceTracker
{
    private const long DeletionExpected = -1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, long>> _generations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _serviceUids = new(StringComparer.Ordinal);

    public bool Has(V1EndpointSlice slice)
    {
        lock (_gate)
        {
            return _generations.TryGetValue(ServiceKey(slice), out var slices) && slices.ContainsKey(slice.Metadata.Uid);
        }
    }

    /// <summary>True unless this controller wrote this generation of the slice (or a later one).</summary>
    public bool ShouldSync(V1EndpointSlice slice)
    {
        lock (_gate)
        {
            return !_generations.TryGetValue(ServiceKey(slice), out var slices) ||
                !slices.TryGetValue(slice.Metadata.Uid, out var generation) ||
                (slice.Metadata.Generation ?? 0) > generation;
        }
    }

    /// <summary>
    /// True when the cache trails this controller's writes for <paramref name="service"/>: a slice at an older
    /// generation, a slice it deleted, or a slice it wrote missing. A recreated Service (new UID) starts afresh.
    /// </summary>
    public bool Stale(V1Service service, IReadOnlyList<V1EndpointSlice> slices)
    {
        var key = Client.ObjectKeys.Of(service);
        lock (_gate)
        {
            if (_serviceUids.TryGetValue(key, out var uid) && !string.IsNullOrEmpty(uid) && !string.IsNullOrEmpty(service.Metadata.Uid) && uid != service.Metadata.Uid)
            {
                _generations.Remove(key);
            }

            _serviceUids[key] = service.Metadata.Uid;
            if (!_generations.TryGetValue(key, out var tracked))
            {
                return false;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var slice in slices)
            {
                seen.Add(slice.Metadata.Uid);
                if (tracked.TryGetValue(slice.Metadata.Uid, out var generation) && (generation == DeletionExpected || generation > (slice.Metadata.Generation ?? 0)))
                {
                    return true;
                }
            }

            return tracked.Any(t => t.Value != DeletionExpected && !seen.Contains(t.Key));
        }
    }

    public void Update(V1EndpointSlice slice)
    {
        lock (_gate)
        {
            Slices(slice)[slice.Metadata.Uid] = slice.Metadata.Generation ?? 0;
        }
    }

    public void ExpectDeletion(V1EndpointSlice slice)
    {
        lock (_gate)
        {
            Slices(slice)[slice.Metadata.Uid] = DeletionExpected;
        }
    }

    /// <summary>Forgets a deleted slice; false when this controller did not delete it (so the Service needs a look).</summary>
    public bool HandleDeletion(V1EndpointSlice slice)
    {
        lock (_gate)
        {
            if (_generations.TryGetValue(ServiceKey(slice), out var slices) && slices.Remove(slice.Metadata.Uid, out var generation))
            {
                return generation == DeletionExpected;
            }

            return true;
        }
    }

    public void DeleteService(string key)
    {
        lock (_gate)
        {
            _generations.Remove(key);
            _serviceUids.Remove(key);
        }
    }

    /// <summary>The Service a slice belongs to, by its <c>kubernetes.io/service-name</c> label.</summary>
    public static string ServiceKey(V1EndpointSlice slice) =>
        Client.ObjectKeys.Of(slice.Metadata.NamespaceProperty, slice.Metadata.Labels?.TryGetValue(ServiceLabels.ServiceName, out var name) == true ? name : string.Empty);

    private Dictionary<string, long> Slices(V1EndpointSlice slice)
    {
        var key = ServiceKey(slice);
        if (!_generations.TryGetValue(key, out var slices))
        {
            slices = new Dictionary<string, long>(StringComparer.Ordinal);
            _generations[key] = slices;
        }

        return slices;
    }
}
