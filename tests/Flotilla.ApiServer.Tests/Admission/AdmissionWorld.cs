using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage.Memory;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.ApiServer.Tests.Admission;

/// <summary>What admission plugins read, over an in-memory store: a registry, its watch caches and a lookup.</summary>
public sealed class AdmissionWorld : IAsyncDisposable
{
    private readonly MemoryStore _store = new(TimeProvider.System);

    private AdmissionWorld()
    {
        Registry = new ResourceRegistry(ResourceCatalog.Default, _store, TimeProvider.System);
        Caches = new CacheSet(Registry, NullLogger<CacheSet>.Instance);
        Lookup = new AdmissionLookup(Registry, Caches);
    }

    public ResourceRegistry Registry { get; }

    public CacheSet Caches { get; }

    public AdmissionLookup Lookup { get; }

    public List<string> Warnings { get; } = [];

    public static async Task<AdmissionWorld> StartAsync(params string[] namespaces)
    {
        var world = new AdmissionWorld();
        await world.Caches.StartAsync(CancellationToken.None);
        foreach (var ns in namespaces)
        {
            await world.AddAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        return world;
    }

    /// <summary>Stores an object (without admission) and waits until the caches have it.</summary>
    public async Task AddAsync(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var resource = ResourceCatalog.Default.Resources.First(r => r.ModelType == obj.GetType() && r.StoredAs is null);
        await Registry.Get(resource).CreateAsync(obj.Metadata.NamespaceProperty, obj, dryRun: false, admission: null, CancellationToken.None);
        await Caches.WaitFreshAsync(CancellationToken.None);
    }

    public AdmissionRequest Request(AdmissionOperation operation, IKubernetesObject<V1ObjectMeta>? obj, IKubernetesObject<V1ObjectMeta>? old = null, string subresource = "", UserInfo? user = null)
    {
        var meta = (obj ?? old)!.Metadata;
        var resource = ResourceCatalog.Default.Resources.First(r => r.ModelType == (obj ?? old)!.GetType() && r.StoredAs is null);
        return new AdmissionRequest
        {
            Operation = operation,
            Resource = resource,
            Subresource = subresource,
            Namespace = meta.NamespaceProperty ?? string.Empty,
            Name = meta.Name ?? string.Empty,
            Object = obj,
            OldObject = old,
            User = user ?? new UserInfo("jane", ["system:authenticated"]),
            WarningSink = Warnings.Add,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Caches.DisposeAsync();
        await _store.DisposeAsync();
    }
}
