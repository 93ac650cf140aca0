using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Batch;

/// <summary>
/// Upstream's job strategy generateSelector: unless <c>manualSelector</c> is true, a job selects its pods by its own
/// uid, and its template carries the job-name and controller-uid labels (legacy and batch.kubernetes.io/ forms).
/// The Job strategy runs this in PrepareForCreate, after the uid is assigned and before validation.
/// </summary>
public static class JobSelectors
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";

    public static void Generate(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Spec ??= new V1JobSpec();
        if (job.Spec.ManualSelector == true)
        {
            return;
        }

        var name = job.Metadata?.Name ?? string.Empty;
        var uid = job.Metadata?.Uid ?? string.Empty;
        job.Spec.Template ??= new V1PodTemplateSpec();
        job.Spec.Template.Metadata ??= new V1ObjectMeta();
        var labels = job.Spec.Template.Metadata.Labels ??= new Dictionary<string, string>();

        // Labels the user set are kept; a conflicting value is then reported by validation.
        labels.TryAdd(LegacyJobNameLabel, name);
        labels.TryAdd(JobNameLabel, name);
        labels.TryAdd(LegacyControllerUidLabel, uid);
        labels.TryAdd(ControllerUidLabel, uid);
        job.Spec.Selector ??= new V1LabelSelector();
        job.Spec.Selector.MatchLabels ??= new Dictionary<string, string>();
        job.Spec.Selector.MatchLabels.TryAdd(ControllerUidLabel, uid);
    }
}
