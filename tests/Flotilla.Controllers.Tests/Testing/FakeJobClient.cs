using Flotilla.Api.Serialization;
using Flotilla.Controllers.Job;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>The API server's copy of a job (for the fresh read before adoption) and every status written, in order.</summary>
internal sealed class FakeJobClient(V1Job current) : IJobClient
{
    public List<V1JobStatus> StatusWrites { get; } = [];

    public V1JobStatus? Last => StatusWrites.Count == 0 ? null : StatusWrites[^1];

    public Task<V1Job?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult<V1Job?>(current.Metadata.Name == name ? current : null);

    public Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken)
    {
        lock (StatusWrites)
        {
            StatusWrites.Add(DeepCopy.Of(job.Status));
        }

        return Task.FromResult(DeepCopy.Of(job));
    }
}
