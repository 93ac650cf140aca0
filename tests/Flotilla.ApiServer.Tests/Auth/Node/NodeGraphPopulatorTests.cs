using Flotilla.Api.Resources;
using Flotilla.ApiServer.Auth.Node;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static Flotilla.ApiServer.Tests.Auth.Node.NodeObjects;

namespace Flotilla.ApiServer.Tests.Auth.Node;

/// <summary>The graph follows the watch caches: bindings, deletions, re-creations, volumes, and cache rebuilds.</summary>
public sealed class NodeGraphPopulatorTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly WatchCache _pods = new(ResourceCatalog.Default.Find("", "v1", "pods")!, 100);
    private readonly WatchCache _volumes = new(ResourceCatalog.Default.Find("", "v1", "persistentvolumes")!, 100);
    private readonly NodeGraph _graph = new();
    private readonly Dictionary<string, CachedObject> _current = [];
    private NodeGraphPopulator _populator = null!;
    private long _revision = 1;

    public async Task InitializeAsync()
    {
        // Already stored when the populator starts: built from the first list.
        _pods.Reset([Cached(_pods, Pod("listed", "n1", spec: s => s.Volumes = [SecretVolume("from-list")]), 1)], 1);
        _volumes.Reset([], 1);
        _populator = new NodeGraphPopulator(_graph, _pods, _volumes, NullLogger<NodeGraphPopulator>.Instance);
        await _populator.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _populator.StopAsync(CancellationToken.None);
        _populator.Dispose();
    }

    [Fact]
    public async Task ListedPod_IsInTheGraph()
    {
        await WaitUntilAsync(() => _graph.HasPath("n1", VertexType.Secret, "default", "from-list"));
    }

    [Fact]
    public async Task PodBoundAfterCreation_RelatesItsSecrets_UntilDeleted()
    {
        var unbound = Pod("web", null, spec: s => s.Volumes = [SecretVolume("web-tls")]);
        Apply(_pods, ChangeType.Added, unbound);
        Apply(_pods, ChangeType.Modified, Pod("web", "n1", spec: s => s.Volumes = [SecretVolume("web-tls")]));
        await WaitUntilAsync(() => _graph.HasPath("n1", VertexType.Secret, "default", "web-tls"));

        Apply(_pods, ChangeType.Deleted, Pod("web", "n1", spec: s => s.Volumes = [SecretVolume("web-tls")]));
        await WaitUntilAsync(() => !_graph.Contains(VertexType.Secret, "default", "web-tls"));
        Assert.False(_graph.HasPath("n1", VertexType.Pod, "default", "web"));
    }

    [Fact]
    public async Task PodRecreatedOnAnotherNode_MovesToIt()
    {
        Apply(_pods, ChangeType.Added, Pod("db", "n1", uid: "a", spec: s => s.Volumes = [SecretVolume("db-pass")]));
        await WaitUntilAsync(() => _graph.HasPath("n1", VertexType.Secret, "default", "db-pass"));

        // Replaced under the same key by a pod with another uid (a delete and create seen as one change).
        Apply(_pods, ChangeType.Modified, Pod("db", "n2", uid: "b", spec: s => s.Volumes = [SecretVolume("db-pass")]));
        await WaitUntilAsync(() => _graph.HasPath("n2", VertexType.Secret, "default", "db-pass"));
        Assert.False(_graph.HasPath("n1", VertexType.Secret, "default", "db-pass"));
    }

    [Fact]
    public async Task VolumeBoundToAClaim_OfAPodOnTheNode_IsRelated_UntilDeleted()
    {
        Apply(_pods, ChangeType.Added, Pod("app", "n1", spec: s => s.Volumes = [ClaimVolume("data")]));
        Apply(_volumes, ChangeType.Added, Volume("pv-data", "data"));
        await WaitUntilAsync(() => _graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-data"));

        Apply(_volumes, ChangeType.Deleted, Volume("pv-data", "data"));
        await WaitUntilAsync(() => !_graph.Contains(VertexType.PersistentVolume, "", "pv-data"));
    }

    [Fact]
    public async Task CacheRebuilt_GraphIsRebuiltFromTheNewList()
    {
        await WaitUntilAsync(() => _graph.HasPath("n1", VertexType.Secret, "default", "from-list"));

        _pods.Reset([Cached(_pods, Pod("relisted", "n3", spec: s => s.Volumes = [SecretVolume("after-relist")]), 50)], 50);

        await WaitUntilAsync(() => _graph.HasPath("n3", VertexType.Secret, "default", "after-relist"));
        Assert.False(_graph.Contains(VertexType.Secret, "default", "from-list"));
    }

    private void Apply(WatchCache cache, ChangeType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        var revision = Interlocked.Increment(ref _revision);
        var cached = Cached(cache, obj, revision);
        _current.TryGetValue(cached.Key, out var previous);
        cache.Apply(new CachedChange(type, cached, previous));
        _current[cached.Key] = cached;
    }

    private static CachedObject Cached(WatchCache cache, IKubernetesObject<V1ObjectMeta> obj, long revision) =>
        new(cache.Resource.StorageKey(obj.Metadata.NamespaceProperty, obj.Metadata.Name), [], revision, () => obj);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the graph did not follow the cache in time");
            await Task.Delay(10);
        }
    }
}
