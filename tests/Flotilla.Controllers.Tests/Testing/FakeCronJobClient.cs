using Flotilla.Api.Serialization;
using Flotilla.Controllers.CronJob;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>The API server as the CronJob controller sees it: its CronJob, the Jobs there are, and what it wrote.</summary>
internal sealed class FakeCronJobClient(V1CronJob cronJob, params V1Job[] jobs) : ICronJobClient
{
    private readonly Dictionary<string, V1Job> _jobs = jobs.ToDictionary(j => j.Metadata.Name);

    public List<V1CronJobStatus> StatusWrites { get; } = [];

    public List<V1Job> Created { get; } = [];

    public List<string> Deleted { get; } = [];

    public Task<V1CronJob?> GetCronJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult<V1CronJob?>(cronJob.Metadata.Name == name ? cronJob : null);

    public Task<V1CronJob> UpdateStatusAsync(V1CronJob updated, CancellationToken cancellationToken)
    {
        StatusWrites.Add(DeepCopy.Of(updated.Status));
        return Task.FromResult(updated);
    }

    public Task<V1Job?> GetJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.GetValueOrDefault(name));

    public Task<V1Job> CreateJobAsync(string ns, V1Job job, CancellationToken cancellationToken)
    {
        var created = DeepCopy.Of(job);
        created.Metadata.NamespaceProperty = ns;
        created.Metadata.Uid = "uid-" + job.Metadata.Name;
        created.Metadata.ResourceVersion = "7";
        Created.Add(created);
        _jobs[job.Metadata.Name] = created;
        return Task.FromResult(created);
    }

    public Task DeleteJobAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Deleted.Add(name);
        _jobs.Remove(name);
        return Task.CompletedTask;
    }
}
