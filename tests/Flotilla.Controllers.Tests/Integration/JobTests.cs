using Flotilla.Controllers.Job;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>
/// The Job controller against a real HTTPS API server on 127.0.0.1, writing as the job-controller service account.
/// No kubelet runs: <see cref="FinishAsync"/> plays one, ending pods with a phase and exit code.
/// </summary>
public sealed class JobTests : Testing.ManagedCluster
{
    [Fact]
    public async Task AJob_RunsItsPods_CountsThemThroughTheFinalizer_AndCompletes()
    {
        var job = await Admin.BatchV1.CreateNamespacedJobAsync(Job("work", completions: 2, parallelism: 2), "default");

        var pods = await EventuallyAsync(() => PodsAsync(job), p => p.Count == 2);
        Assert.All(pods, p => Assert.Contains(JobNames.TrackingFinalizer, p.Metadata.Finalizers));
        Assert.All(pods, p => Assert.Equal(job.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences).Uid));
        await EventuallyAsync(() => ReadAsync("work"), j => j.Status?.Active == 2 && j.Status.StartTime is not null);

        foreach (var pod in pods)
        {
            await FinishAsync(pod, "Succeeded", 0);
        }

        var done = await EventuallyAsync(() => ReadAsync("work"), j => j.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true);
        Assert.Equal((2, 0, 0), (done.Status.Succeeded, done.Status.Active ?? 0, done.Status.Failed ?? 0));
        Assert.NotNull(done.Status.CompletionTime);
        Assert.Empty(done.Status.UncountedTerminatedPods?.Succeeded ?? []);
        Assert.Contains(done.Status.Conditions, c => c.Type == "SuccessCriteriaMet" && c.Reason == "CompletionsReached");

        // Counted pods keep no finalizer, so they can go.
        await EventuallyAsync(() => PodsAsync(job), p => p.All(x => x.Metadata.Finalizers is null or { Count: 0 }));
        var events = await EventuallyAsync(
            async () => (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=work")).Items,
            e => e.Any(x => x.Reason == "Completed"));
        Assert.Contains(events, e => e.Reason == "SuccessfulCreate" && e.Source.Component == "job-controller");
    }

    [Fact]
    public async Task AFailure_PastTheBackoffLimit_FailsTheJob()
    {
        var job = await Admin.BatchV1.CreateNamespacedJobAsync(Job("doomed", completions: 1, parallelism: 1, backoffLimit: 0), "default");
        var pod = (await EventuallyAsync(() => PodsAsync(job), p => p.Count == 1))[0];

        await FinishAsync(pod, "Failed", 3);

        var failed = await EventuallyAsync(() => ReadAsync("doomed"), j => j.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true);
        var condition = failed.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal(("BackoffLimitExceeded", "Job has reached the specified backoff limit"), (condition.Reason, condition.Message));
        Assert.Equal(1, failed.Status.Failed);
        Assert.Null(failed.Status.CompletionTime);
    }

    [Fact]
    public async Task ADeletedJob_LeavesNoFinalizerBehind()
    {
        var job = await Admin.BatchV1.CreateNamespacedJobAsync(Job("gone", completions: 1, parallelism: 1), "default");
        var pod = (await EventuallyAsync(() => PodsAsync(job), p => p.Count == 1))[0];

        await Admin.BatchV1.DeleteNamespacedJobAsync("gone", "default", new V1DeleteOptions { PropagationPolicy = "Orphan" });

        var orphan = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, "default"), p => p.Metadata.Finalizers is null or { Count: 0 });
        Assert.Null(orphan.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task AFinishedJob_IsDeletedItsTtlAfter()
    {
        var spec = Job("brief", completions: 1, parallelism: 1);
        spec.Spec.TtlSecondsAfterFinished = 1;
        var job = await Admin.BatchV1.CreateNamespacedJobAsync(spec, "default");
        var pod = (await EventuallyAsync(() => PodsAsync(job), p => p.Count == 1))[0];

        await FinishAsync(pod, "Succeeded", 0);

        await EventuallyAsync(async () => (await Admin.BatchV1.ListNamespacedJobAsync("default", fieldSelector: "metadata.name=brief")).Items, j => j.Count == 0);
    }

    private Task<V1Job> ReadAsync(string name) => Admin.BatchV1.ReadNamespacedJobAsync(name, "default");

    private async Task<List<V1Pod>> PodsAsync(V1Job job) =>
        [.. (await Admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"{JobNames.ControllerUidLabel}={job.Metadata.Uid}")).Items];

    /// <summary>What a kubelet would report for a pod whose container ended.</summary>
    private async Task FinishAsync(V1Pod pod, string phase, int exitCode)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var patch = $$$$"""{"status":{"phase":"{{{{phase}}}}","containerStatuses":[{"name":"main","image":"busybox:1.35","imageID":"","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":{{{{exitCode}}}},"finishedAt":"{{{{now}}}}","startedAt":"{{{{now}}}}"}}}]}}""";
        await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, "default");
    }

    private static V1Job Job(string name, int completions, int parallelism, int? backoffLimit = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", AutomountServiceAccountToken = false, Containers = [new V1Container { Name = "main", Image = "busybox:1.35" }] },
            },
        },
    };
}
