using Flotilla.Api.Serialization;
using Flotilla.Controllers.DaemonSet;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>The API server for the DaemonSet controller: its DaemonSet, the revisions it made, and the statuses it wrote.</summary>
internal sealed class FakeDaemonSetClient(V1DaemonSet daemonSet) : IDaemonSetClient
{
    public List<V1DaemonSetStatus> StatusWrites { get; } = [];

    public List<V1ControllerRevision> Revisions { get; } = [];

    public Task<V1DaemonSet?> GetAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<V1DaemonSet?>(daemonSet);

    public Task<V1DaemonSet> UpdateStatusAsync(V1DaemonSet updated, CancellationToken cancellationToken)
    {
        StatusWrites.Add(DeepCopy.Of(updated.Status));
        return Task.FromResult(updated);
    }

    public Task<V1ControllerRevision> CreateRevisionAsync(string ns, V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        Revisions.Add(revision);
        return Task.FromResult(revision);
    }

    public Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, CancellationToken cancellationToken) => Task.FromResult(revision);

    public Task DeleteRevisionAsync(string ns, string name, CancellationToken cancellationToken) => Task.CompletedTask;
}
