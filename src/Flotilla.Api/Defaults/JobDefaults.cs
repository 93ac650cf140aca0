using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's batch/v1 SetDefaults_Job as of 1.32 (JobPodReplacementPolicy and JobBackoffLimitPerIndex on by
/// default): a non-parallel job runs one pod to one completion and retries six times.
/// </summary>
public static class JobDefaults
{
    public const int BackoffLimit = 6;
    public const string NonIndexed = "NonIndexed";
    public const string TerminatingOrFailed = "TerminatingOrFailed";
    public const string Failed = "Failed";

    public static void Apply(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = job.Spec ??= new V1JobSpec();
        if (spec.Completions is null && spec.Parallelism is null)
        {
            spec.Completions = 1;
        }

        spec.Parallelism ??= 1;

        // With a per-index limit the global one would only get in the way, so it is effectively unlimited.
        spec.BackoffLimit ??= spec.BackoffLimitPerIndex is null ? BackoffLimit : int.MaxValue;

        if (spec.Template?.Metadata?.Labels is { Count: > 0 } labels)
        {
            var metadata = job.Metadata ??= new V1ObjectMeta();
            if (metadata.Labels is not { Count: > 0 })
            {
                metadata.Labels = new Dictionary<string, string>(labels);
            }
        }

        spec.CompletionMode ??= NonIndexed;
        spec.Suspend ??= false;
        foreach (var pattern in (spec.PodFailurePolicy?.Rules ?? []).SelectMany(r => r.OnPodConditions ?? []))
        {
            if (string.IsNullOrEmpty(pattern.Status))
            {
                pattern.Status = "True";
            }
        }

        // A pod failure policy needs pods to be fully gone before it judges them, hence Failed.
        spec.PodReplacementPolicy ??= spec.PodFailurePolicy is null ? TerminatingOrFailed : Failed;
        spec.ManualSelector ??= false;
        PodDefaults.ApplyToTemplate(spec.Template ??= new V1PodTemplateSpec());
    }
}
