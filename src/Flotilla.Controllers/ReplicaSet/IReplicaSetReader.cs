using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Controllers.ReplicaSet;

/// <summary>The controller's cache of the objects it keeps, as ReplicaSets whatever their kind.</summary>
public interface IReplicaSetReader
{
    V1ReplicaSet? Get(string ns, string name);

    IReadOnlyList<V1ReplicaSet> List(string ns);
}

public sealed class ReplicaSetReader(Lister<V1ReplicaSet> lister) : IReplicaSetReader
{
    public V1ReplicaSet? Get(string ns, string name) => lister.Get(ns, name);

    public IReadOnlyList<V1ReplicaSet> List(string ns) => lister.List(ns);
}
