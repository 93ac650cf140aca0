using k8s;
using k8s.Models;

namespace Flotilla.Controllers.CronJob;

/// <summary>The CronJob controller's reads and writes through the API (upstream's cronJobControl and jobControl); tests put a fake in its place.</summary>
public interface ICronJobClient
{
    Task<V1CronJob?> GetCronJobAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1CronJob> UpdateStatusAsync(V1CronJob cronJob, CancellationToken cancellationToken);

    Task<V1Job?> GetJobAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1Job> CreateJobAsync(string ns, V1Job job, CancellationToken cancellationToken);

    /// <summary>Deletes with background propagation.</summary>
    Task DeleteJobAsync(string ns, string name, CancellationToken cancellationToken);
}

public sealed class CronJobClient(IKubernetes client) : ICronJobClient
{
    public async Task<V1CronJob?> GetCronJobAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.BatchV1.ReadNamespacedCronJobAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public Task<V1CronJob> UpdateStatusAsync(V1CronJob cronJob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        return client.BatchV1.ReplaceNamespacedCronJobStatusAsync(cronJob, cronJob.Metadata.Name, cronJob.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async Task<V1Job?> GetJobAsync(string ns, string name, CancellationToken cancellationToken)
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

    public Task<V1Job> CreateJobAsync(string ns, V1Job job, CancellationToken cancellationToken) =>
        client.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: cancellationToken);

    public Task DeleteJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.BatchV1.DeleteNamespacedJobAsync(name, ns, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken);
}
