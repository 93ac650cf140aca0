using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>The Job controller's writes to jobs; tests put a fake in its place.</summary>
public interface IJobClient
{
    /// <summary>A fresh read (adoption checks); null when gone.</summary>
    Task<V1Job?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>PUT jobs/status with the whole object, as upstream's updateStatusHandler.</summary>
    Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken);
}

public sealed class JobClient(IKubernetes client) : IJobClient
{
    public async Task<V1Job?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public Task<V1Job> UpdateStatusAsync(V1Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return client.BatchV1.ReplaceNamespacedJobStatusAsync(job, job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }
}
