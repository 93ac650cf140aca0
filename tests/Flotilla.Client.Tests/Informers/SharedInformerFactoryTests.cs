using Flotilla.Client.Informers;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Tests.Informers;

/// <summary>The factory shares one informer per resource and selectors, against a real API server.</summary>
public sealed class SharedInformerFactoryTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Informer_IsSharedPerResourceAndSelectors_AndIndexesPodsByNode()
    {
        await using var factory = new SharedInformerFactory(_client, TimeProvider.System);
        var pods = factory.Informer<V1Pod>();
        Assert.Same(pods, factory.Informer<V1Pod>(new InformerOptions()));
        Assert.NotSame(pods, factory.Informer<V1Pod>(new InformerOptions { FieldSelector = "spec.nodeName=n1" }));
        pods.Indexer.AddIndex(Indexers.NodeName, Indexers.PodsByNode);

        var first = new TaskCompletionSource<V1Pod>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<V1Pod>(TaskCreationOptions.RunContinuationsAsynchronously);
        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (p, _) => first.TrySetResult(p) });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (p, _) => second.TrySetResult(p) });
        factory.Start();
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, "default");
        Assert.Equal("p", (await first.Task.WaitAsync(TimeSpan.FromSeconds(10))).Metadata.Name);
        Assert.Equal("p", (await second.Task.WaitAsync(TimeSpan.FromSeconds(10))).Metadata.Name);
        Assert.Equal("p", Assert.Single(pods.Indexer.ByIndex(Indexers.NodeName, "n1")).Metadata.Name);
        Assert.Equal("p", pods.Lister.Get("default", "p")!.Metadata.Name);
    }
}
