using Flotilla.Client.Informers;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Tests.Informers;

/// <summary>List and watch on the wire against a real API server (HTTPS with the admin certificate).</summary>
public sealed class ResourceListWatchTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(tls: true, watchCacheSize: 10);
        _client = ClusterClients.ForServer(_server.Address, _server.Pki!.Ca, _server.Pki!.Admin);
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "w" } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<V1ConfigMap> CreateAsync(string name, Dictionary<string, string>? labels = null) =>
        _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, "w");

    [Fact]
    public async Task List_HonoursNamespaceAndSelectors_AndWatchContinuesFromItsVersion()
    {
        await CreateAsync("a", new() { ["app"] = "x" });
        await CreateAsync("b");
        var source = new ResourceListWatch<V1ConfigMap>(_client, new InformerOptions { Namespace = "w", LabelSelector = "app=x" });
        var list = await source.ListAsync(CancellationToken.None);
        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = source.WatchAsync(list.ResourceVersion, cts.Token).GetAsyncEnumerator(cts.Token);
        await CreateAsync("c");
        await CreateAsync("d", new() { ["app"] = "x" });
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal((WatchEventType.Added, "d"), (watch.Current.Type, watch.Current.Object!.Metadata.Name));
    }

    [Fact]
    public async Task Watch_FromAVersionTheServerNoLongerKeeps_Is410()
    {
        var first = await CreateAsync("old");
        var last = first;
        for (var i = 0; i < 12; i++)
        {
            last = await CreateAsync($"m{i}");
        }

        // Older than the watch cache keeps (10 changes) and than the store's history.
        await _server.CompactAsync(long.Parse(last.Metadata.ResourceVersion));

        var source = new ResourceListWatch<V1ConfigMap>(_client, new InformerOptions { Namespace = "w" });
        var events = new List<WatchEvent<V1ConfigMap>>();
        await foreach (var e in source.WatchAsync(first.Metadata.ResourceVersion, CancellationToken.None))
        {
            events.Add(e);
        }

        var error = Assert.Single(events);
        Assert.Equal(WatchEventType.Error, error.Type);
        Assert.Equal(410, error.Status!.Code);
        Assert.Equal("Expired", error.Status.Reason);
    }
}
