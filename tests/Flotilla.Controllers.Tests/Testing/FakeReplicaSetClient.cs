using Flotilla.Controllers.ReplicaSet;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>The API server's copy of the ReplicaSets (for the fresh read before adoption) and the status writes.</summary>
internal sealed class FakeReplicaSetClient(params V1ReplicaSet[] current) : IReplicaSetClient
{
    public List<V1ReplicaSetStatus> StatusWrites { get; } = [];

    public Task<V1ReplicaSet?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(current.FirstOrDefault(r => r.Metadata.Name == name));

    public Task<V1ReplicaSet> UpdateStatusAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken)
    {
        lock (StatusWrites)
        {
            StatusWrites.Add(replicaSet.Status);
        }

        return Task.FromResult(replicaSet);
    }
}
