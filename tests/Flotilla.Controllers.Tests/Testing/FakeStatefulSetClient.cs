using Flotilla.Api.Serialization;
using Flotilla.Controllers.StatefulSet;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>The API server for the StatefulSet controller: its set, the revisions and claims it made, the statuses it wrote.</summary>
internal sealed class FakeStatefulSetClient(V1StatefulSet set) : IStatefulSetClient
{
    public List<V1StatefulSetStatus> StatusWrites { get; } = [];

    public List<V1ControllerRevision> Revisions { get; } = [];

    public List<V1PersistentVolumeClaim> Claims { get; } = [];

    public Task<V1StatefulSet?> GetAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<V1StatefulSet?>(set);

    public Task<V1StatefulSet> UpdateStatusAsync(V1StatefulSet updated, CancellationToken cancellationToken)
    {
        StatusWrites.Add(DeepCopy.Of(updated.Status));
        return Task.FromResult(updated);
    }

    public Task<V1ControllerRevision> CreateRevisionAsync(string ns, V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        Revisions.Add(revision);
        return Task.FromResult(revision);
    }

    public Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Revisions.FirstOrDefault(r => r.Metadata.Name == name));

    public Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, CancellationToken cancellationToken) => Task.FromResult(revision);

    public Task DeleteRevisionAsync(string ns, string name, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<V1PersistentVolumeClaim?> GetClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Claims.FirstOrDefault(c => c.Metadata.Name == name));

    public Task<V1PersistentVolumeClaim> CreateClaimAsync(string ns, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        Claims.Add(claim);
        return Task.FromResult(claim);
    }

    public Task<V1PersistentVolumeClaim> UpdateClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        Claims.RemoveAll(c => c.Metadata.Name == claim.Metadata.Name);
        Claims.Add(claim);
        return Task.FromResult(claim);
    }
}
