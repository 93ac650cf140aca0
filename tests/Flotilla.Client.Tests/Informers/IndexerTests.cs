using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Client.Tests.Informers;

public sealed class IndexerTests
{
    private static V1Pod Pod(string ns, string name, string? node) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name }, Spec = new V1PodSpec { NodeName = node } };

    [Fact]
    public void Upsert_MovesTheKeyBetweenIndexValues_AndRemoveDropsEmptyValues()
    {
        var indexer = new Indexer<V1Pod>();
        indexer.AddIndex(Indexers.NodeName, Indexers.PodsByNode);
        indexer.Upsert("a/p", Pod("a", "p", null));
        Assert.Single(indexer.ByIndex(Indexers.NodeName, string.Empty));

        indexer.Upsert("a/p", Pod("a", "p", "n1"));
        Assert.Empty(indexer.ByIndex(Indexers.NodeName, string.Empty));
        Assert.Equal("n1", Assert.Single(indexer.ByIndex(Indexers.NodeName, "n1")).Spec.NodeName);

        Assert.NotNull(indexer.Remove("a/p"));
        Assert.Empty(indexer.ByIndex(Indexers.NodeName, "n1"));
        Assert.Null(indexer.Remove("a/p"));
    }

    [Fact]
    public void AddIndex_IndexesWhatIsAlreadyCached_AndNamespaceIndexIsBuiltIn()
    {
        var indexer = new Indexer<V1Pod>();
        indexer.Upsert("a/p1", Pod("a", "p1", "n1"));
        indexer.Upsert("b/p2", Pod("b", "p2", "n1"));
        indexer.AddIndex(Indexers.NodeName, Indexers.PodsByNode);
        Assert.Equal(2, indexer.ByIndex(Indexers.NodeName, "n1").Count);
        Assert.Equal("p2", Assert.Single(indexer.ByIndex(Indexers.Namespace, "b")).Metadata.Name);
        indexer.AddIndex(Indexers.NodeName, Indexers.PodsByNode);   // asked again by another controller: a no-op
        Assert.Equal(2, indexer.ByIndex(Indexers.NodeName, "n1").Count);
        Assert.Throws<InvalidOperationException>(() => indexer.AddIndex(Indexers.NodeName, p => [p.Metadata.Name]));
        Assert.Throws<ArgumentException>(() => indexer.ByIndex("nope", "x"));
    }

    [Fact]
    public void Lister_FiltersByNamespaceAndLabels()
    {
        var indexer = new Indexer<V1Pod>();
        var labelled = Pod("a", "web", null);
        labelled.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        indexer.Upsert("a/web", labelled);
        indexer.Upsert("a/db", Pod("a", "db", null));
        indexer.Upsert("b/web", Pod("b", "web", null));
        var lister = new Lister<V1Pod>(indexer);
        Assert.Equal(2, lister.List("a").Count);
        Assert.Equal("web", Assert.Single(lister.List(Flotilla.Api.Selectors.LabelSelector.Parse("app=web"))).Metadata.Name);
        Assert.Same(labelled, lister.Get("a", "web"));
        Assert.Null(lister.Get("c", "web"));
    }
}
