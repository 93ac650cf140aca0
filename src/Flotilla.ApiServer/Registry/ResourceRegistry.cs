using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry.Conversion;
using Flotilla.Storage;

namespace Flotilla.ApiServer.Registry;

/// <summary>The storage of every served resource, looked up by group, version and plural.</summary>
public sealed class ResourceRegistry
{
    private readonly Dictionary<ResourceInfo, ResourceStorage> _storages = [];

    public ResourceRegistry(ResourceCatalog catalog, IStore store, TimeProvider time, ClusterNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        Store = store;
        Network = network ?? new ClusterNetwork();
        var namespaces = Namespaces = new NamespaceLifecycle(store);
        foreach (var resource in catalog.Resources)
        {
            var kind = Strategies.For(resource, Network);
            var storedAs = resource.StoredAs is { } storage ? new StorageVersion(Strategies.For(storage, Network).Strategy, Strategies.Converter(resource)) : null;
            _storages[resource] = new ResourceStorage(kind.Strategy, store, time, namespaces, kind.Deletion, kind.Ttl?.Invoke(store, time), kind.Hooks, storedAs);
        }
    }

    public ResourceCatalog Catalog { get; }

    public IStore Store { get; }

    public ClusterNetwork Network { get; }

    public NamespaceLifecycle Namespaces { get; }

    public ResourceStorage? Find(string group, string version, string plural) =>
        Catalog.Find(group, version, plural) is { } r ? _storages[r] : null;

    public ResourceStorage Get(ResourceInfo resource) => _storages[resource];
}
