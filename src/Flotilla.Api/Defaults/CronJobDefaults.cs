using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's batch/v1 SetDefaults_CronJob. The job template gets only its pod template's defaults: the Job
/// defaults apply when the controller creates each Job.
/// </summary>
public static class CronJobDefaults
{
    public const string Allow = "Allow";
    public const int SuccessfulJobsHistoryLimit = 3;
    public const int FailedJobsHistoryLimit = 1;

    public static void Apply(V1CronJob cronJob)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        var spec = cronJob.Spec ??= new V1CronJobSpec();
        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            spec.ConcurrencyPolicy = Allow;
        }

        spec.Suspend ??= false;
        spec.SuccessfulJobsHistoryLimit ??= SuccessfulJobsHistoryLimit;
        spec.FailedJobsHistoryLimit ??= FailedJobsHistoryLimit;
        var jobSpec = (spec.JobTemplate ??= new V1JobTemplateSpec()).Spec ??= new V1JobSpec();
        PodDefaults.ApplyToTemplate(jobSpec.Template ??= new V1PodTemplateSpec());
    }
}
