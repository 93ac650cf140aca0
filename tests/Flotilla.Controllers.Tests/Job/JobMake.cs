using Flotilla.Controllers.Job;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Job;

/// <summary>Jobs and their pods, as the API server would have defaulted them.</summary>
internal static class JobMake
{
    public static V1Job Job(string name, int? completions = 1, int? parallelism = 1, int backoffLimit = 6, string mode = JobNames.NonIndexed, string restartPolicy = "Never", V1PodFailurePolicy? failurePolicy = null, bool suspend = false, long? activeDeadlineSeconds = null, DateTimeOffset? started = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = 1, ResourceVersion = "1" },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            CompletionMode = mode,
            Suspend = suspend,
            ActiveDeadlineSeconds = activeDeadlineSeconds,
            PodFailurePolicy = failurePolicy,
            PodReplacementPolicy = failurePolicy is null ? "TerminatingOrFailed" : "Failed",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [JobNames.ControllerUidLabel] = "uid-" + name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [JobNames.ControllerUidLabel] = "uid-" + name, ["job-name"] = name } },
                Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [new V1Container { Name = "main", Image = "busybox:1.35" }] },
            },
        },
        Status = new V1JobStatus { StartTime = started?.UtcDateTime },
    };

    /// <summary>A pod of <paramref name="job"/> with the tracking finalizer, in <paramref name="phase"/>.</summary>
    public static V1Pod Pod(V1Job job, string name, string phase = "Running", int? index = null, int exitCode = 1, bool finalizer = true, DateTimeOffset? finished = null, bool ready = false)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = "default",
                Uid = "uid-" + name,
                ResourceVersion = "1",
                Labels = new Dictionary<string, string>(job.Spec.Template.Metadata.Labels),
                Annotations = index is null ? null : new Dictionary<string, string> { [JobNames.CompletionIndex] = index.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                CreationTimestamp = Testing.Make.Now.AddMinutes(-10).UtcDateTime,
                Finalizers = finalizer ? [JobNames.TrackingFinalizer] : null,
                OwnerReferences = [Flotilla.Controllers.Framework.OwnerReferences.ControllerRef(job, "batch/v1", "Job")],
            },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "main", Image = "busybox:1.35" }] },
            Status = new V1PodStatus
            {
                Phase = phase,
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            },
        };
        if (phase is "Succeeded" or "Failed")
        {
            pod.Status.ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "main",
                    State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = phase == "Succeeded" ? 0 : exitCode, FinishedAt = (finished ?? Testing.Make.Now.AddMinutes(-1)).UtcDateTime } },
                },
            ];
        }

        return pod;
    }
}
