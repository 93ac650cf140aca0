using Flotilla.Client.Informers;
using Flotilla.Controllers.GarbageCollector;
using k8s.Models;

namespace Flotilla.Controllers.Tests.GarbageCollector;

/// <summary>What each change to the graph asks the collector to look at.</summary>
public sealed class OwnerGraphTests
{
    private readonly List<string> _deletes = [];
    private readonly List<string> _orphans = [];
    private readonly OwnerGraph _graph;

    public OwnerGraphTests() => _graph = new OwnerGraph { AttemptToDelete = n => _deletes.Add(n.Identity.Name), AttemptToOrphan = n => _orphans.Add(n.Identity.Name) };

    [Fact]
    public void ADependentOfAnUnseenOwner_IsChecked_AndTheDependentsOfADeletedOwnerAreChecked()
    {
        _graph.Upsert(Object("pod", owners: ["rs"]));
        Assert.Equal(["pod"], _deletes);
        Assert.True(_graph.Get("uid-rs")!.Virtual);

        _graph.Upsert(Object("rs"));
        Assert.False(_graph.Get("uid-rs")!.Virtual);
        _deletes.Clear();

        _graph.Remove(Object("rs"));
        Assert.Equal(["pod"], _deletes);
    }

    [Fact]
    public void AForegroundDeletion_ChecksEveryDependent_AndTheOwnerAgainAsEachGoes()
    {
        _graph.Upsert(Object("rs"));
        _graph.Upsert(Object("a", owners: ["rs"], block: true));
        _graph.Upsert(Object("b", owners: ["rs"], block: true));
        _deletes.Clear();

        _graph.Upsert(Object("rs", deleting: true, finalizers: [OwnerGraph.ForegroundFinalizer]));
        Assert.Equal(["a", "b", "rs"], _deletes.Order(StringComparer.Ordinal));
        Assert.Equal(2, _graph.Get("uid-rs")!.BlockingDependents().Count());
        _deletes.Clear();

        _graph.Remove(Object("a", owners: ["rs"]));
        Assert.Equal(["rs"], _deletes);
        Assert.Single(_graph.Get("uid-rs")!.BlockingDependents());
    }

    [Fact]
    public void AnOrphanFinalizer_AsksToOrphan()
    {
        _graph.Upsert(Object("rs", deleting: true, finalizers: [OwnerGraph.OrphanFinalizer]));
        Assert.Equal(["rs"], _orphans);
    }

    [Fact]
    public void AReferenceRemoved_LeavesTheOwnersDependents()
    {
        _graph.Upsert(Object("rs"));
        _graph.Upsert(Object("pod", owners: ["rs"]));
        _graph.Upsert(Object("pod"));
        Assert.Empty(_graph.Get("uid-rs")!.Dependents);
    }

    private static ObjectMetadata Object(string name, string[]? owners = null, bool block = false, bool deleting = false, string[]? finalizers = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Thing",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            DeletionTimestamp = deleting ? DateTime.UtcNow : null,
            Finalizers = finalizers,
            OwnerReferences = owners?.Select(o => new V1OwnerReference { ApiVersion = "v1", Kind = "Thing", Name = o, Uid = "uid-" + o, BlockOwnerDeletion = block }).ToList(),
        },
    };
}
