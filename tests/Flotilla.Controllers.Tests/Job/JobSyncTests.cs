using Flotilla.Api.Serialization;
using Flotilla.Controllers.Job;
using Flotilla.Controllers.Tests.Testing;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Job;

/// <summary>One SyncAsync at a time against listers and recording clients: given a job and its pods, expect these writes.</summary>
public sealed class JobSyncTests
{
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly RecordingPodControl _podControl = new();
    private readonly RecordingEvents _events = new();

    private (JobController Controller, FakeJobClient Client) Controller(V1Job job, params V1Pod[] pods)
    {
        var client = new FakeJobClient(job);
        return (new JobController(Make.Lister(job), Make.Lister(pods), _podControl, client, _events, _time, NullLogger.Instance), client);
    }

    [Fact]
    public async Task ANewJob_StartsParallelismPods_EachWithTheTrackingFinalizer()
    {
        var job = JobMake.Job("work", completions: 5, parallelism: 2);
        var (controller, client) = Controller(job);

        await controller.SyncAsync("default/work", CancellationToken.None);

        Assert.Equal(2, _podControl.Created.Count);
        Assert.All(_podControl.Created, p =>
        {
            Assert.Equal("work-", p.Metadata.GenerateName);
            Assert.Equal([JobNames.TrackingFinalizer], p.Metadata.Finalizers);
            Assert.Equal(("batch/v1", "Job", "uid-work"), (p.Metadata.OwnerReferences[0].ApiVersion, p.Metadata.OwnerReferences[0].Kind, p.Metadata.OwnerReferences[0].Uid));
        });
        var status = Assert.Single(client.StatusWrites);
        Assert.Equal((2, 0, Make.Now.UtcDateTime), (status.Active, status.Ready, status.StartTime));
    }

    [Fact]
    public async Task AFinishedPod_IsRecorded_ThenLosesItsFinalizer_ThenIsCounted()
    {
        var job = JobMake.Job("work", completions: 3, parallelism: 2, started: Make.Now.AddMinutes(-5));
        var done = JobMake.Pod(job, "work-a", "Succeeded");
        var running = JobMake.Pod(job, "work-b");
        var (controller, client) = Controller(job, done, running);

        await controller.SyncAsync("default/work", CancellationToken.None);

        Assert.Equal(["uid-work-a"], client.StatusWrites[0].UncountedTerminatedPods.Succeeded);
        Assert.Equal(0, client.StatusWrites[0].Succeeded ?? 0);
        Assert.Equal([("work-a", JobController.RemoveFinalizerPatch)], _podControl.Patched);
        Assert.Equal(1, client.Last!.Succeeded);
        Assert.Null(client.Last.UncountedTerminatedPods.Succeeded);  // an empty list is left out, as Go's omitempty does
        Assert.Single(_podControl.Created);  // 3 - 1 succeeded = 2 wanted, 1 running
    }

    [Fact]
    public async Task TheLastSuccess_MeetsTheCriteriaFirst_ThenCompletesTheJob()
    {
        var job = JobMake.Job("once", started: Make.Now.AddMinutes(-1));
        var (controller, client) = Controller(job, JobMake.Pod(job, "once-a", "Succeeded"));

        await controller.SyncAsync("default/once", CancellationToken.None);

        var met = client.StatusWrites[0].Conditions.Single();
        Assert.Equal((JobNames.SuccessCriteriaMet, "True", JobNames.CompletionsReached, JobNames.CompletionsReachedMessage), (met.Type, met.Status, met.Reason, met.Message));
        var final = client.Last!;
        Assert.Equal([JobNames.SuccessCriteriaMet, JobNames.Complete], final.Conditions.Select(c => c.Type));
        Assert.Equal(1, final.Succeeded);
        Assert.Equal(Make.Now.UtcDateTime, final.CompletionTime);
        Assert.Contains(("once", "Completed", "Job completed"), _events.Recorded);
    }

    [Fact]
    public async Task PastTheBackoffLimit_TheJobFails_OnceItsRunningPodsAreGone()
    {
        var job = JobMake.Job("flaky", completions: 1, parallelism: 1, backoffLimit: 1, started: Make.Now.AddMinutes(-5));
        var running = JobMake.Pod(job, "flaky-c");
        var (controller, client) = Controller(job, JobMake.Pod(job, "flaky-a", "Failed"), JobMake.Pod(job, "flaky-b", "Failed"), running);

        await controller.SyncAsync("default/flaky", CancellationToken.None);

        Assert.Equal(["flaky-c"], _podControl.Deleted);
        var target = Assert.Single(client.Last!.Conditions);
        Assert.Equal((JobNames.FailureTarget, JobNames.BackoffLimitExceeded, JobNames.BackoffLimitExceededMessage), (target.Type, target.Reason, target.Message));
        Assert.Equal(1, client.Last.Terminating);

        // The next pass, the deleted pod gone: Failed, with its event.
        var after = DeepCopy.Of(job);
        after.Status = client.Last;
        var (next, nextClient) = Controller(after, JobMake.Pod(job, "flaky-a", "Failed", finalizer: false), JobMake.Pod(job, "flaky-b", "Failed", finalizer: false));
        await next.SyncAsync("default/flaky", CancellationToken.None);

        var status = nextClient.Last!;
        Assert.Equal([JobNames.FailureTarget, JobNames.Failed], status.Conditions.Select(c => c.Type));
        Assert.Equal(3, status.Failed);
        Assert.Null(status.CompletionTime);
        Assert.Contains(("flaky", JobNames.BackoffLimitExceeded, JobNames.BackoffLimitExceededMessage), _events.Recorded);
    }

    [Fact]
    public async Task PastTheDeadline_TheJobFails_AndItsPodsAreStopped()
    {
        var job = JobMake.Job("slow", activeDeadlineSeconds: 60, started: Make.Now.AddSeconds(-61));
        var (controller, client) = Controller(job, JobMake.Pod(job, "slow-a"));

        await controller.SyncAsync("default/slow", CancellationToken.None);

        Assert.Equal(["slow-a"], _podControl.Deleted);
        var target = Assert.Single(client.Last!.Conditions);
        Assert.Equal((JobNames.FailureTarget, JobNames.DeadlineExceeded, JobNames.DeadlineExceededMessage), (target.Type, target.Reason, target.Message));
    }

    [Fact]
    public async Task APodFailurePolicyRule_FailsTheJobWithItsMessage_OrIgnoresTheFailure()
    {
        var policy = new V1PodFailurePolicy
        {
            Rules =
            [
                new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [42] } },
                new V1PodFailurePolicyRule { Action = "Ignore", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [7] } },
            ],
        };
        var job = JobMake.Job("strict", backoffLimit: 0, failurePolicy: policy, started: Make.Now.AddMinutes(-1));
        var (controller, client) = Controller(job, JobMake.Pod(job, "strict-a", "Failed", exitCode: 42));
        await controller.SyncAsync("default/strict", CancellationToken.None);
        var condition = client.Last!.Conditions.First();
        Assert.Equal((JobNames.FailureTarget, JobNames.PodFailurePolicy, "Container main for pod default/strict-a failed with exit code 42 matching FailJob rule at index 0"), (condition.Type, condition.Reason, condition.Message));

        // Exit code 7 is ignored: not counted, replaced at once despite backoffLimit 0.
        var tolerant = JobMake.Job("tolerant", backoffLimit: 0, failurePolicy: policy, started: Make.Now.AddMinutes(-1));
        var (second, secondClient) = Controller(tolerant, JobMake.Pod(tolerant, "tolerant-a", "Failed", exitCode: 7));
        await second.SyncAsync("default/tolerant", CancellationToken.None);
        Assert.Equal(0, secondClient.Last!.Failed ?? 0);
        Assert.Null(secondClient.Last.Conditions);
        Assert.Contains(_podControl.Created, p => p.Metadata.GenerateName == "tolerant-");
    }

    [Fact]
    public async Task AFailure_HoldsTheReplacementBackForTheBackoff()
    {
        var job = JobMake.Job("retry", started: Make.Now.AddMinutes(-1));
        var (controller, client) = Controller(job, JobMake.Pod(job, "retry-a", "Failed", finished: Make.Now.AddSeconds(-2)));

        await controller.SyncAsync("default/retry", CancellationToken.None);

        Assert.Empty(_podControl.Created);
        Assert.Equal(1, client.Last!.Failed);
        Assert.Null(client.Last.Conditions);

        // Ten seconds after the failure, the replacement comes.
        _time.Advance(TimeSpan.FromSeconds(8));
        var after = DeepCopy.Of(job);
        after.Status = client.Last;
        var (next, _) = Controller(after, JobMake.Pod(job, "retry-a", "Failed", finalizer: false, finished: Make.Now.AddSeconds(-2)));
        await next.SyncAsync("default/retry", CancellationToken.None);
        Assert.Single(_podControl.Created);
    }

    [Fact]
    public async Task ASuspendedJob_StopsItsPods_AndSaysSo()
    {
        var job = JobMake.Job("paused", completions: 4, parallelism: 2, suspend: true, started: Make.Now.AddMinutes(-1));
        var (controller, client) = Controller(job, JobMake.Pod(job, "paused-a"), JobMake.Pod(job, "paused-b"));

        await controller.SyncAsync("default/paused", CancellationToken.None);

        Assert.Equal(["paused-a", "paused-b"], _podControl.Deleted.Order());
        Assert.All(_podControl.Patched, p => Assert.Equal(JobController.RemoveFinalizerPatch, p.Patch));
        var suspended = Assert.Single(client.Last!.Conditions);
        Assert.Equal((JobNames.Suspended, "True", "JobSuspended", "Job suspended"), (suspended.Type, suspended.Status, suspended.Reason, suspended.Message));
        Assert.Equal(0, client.Last.Active);
        Assert.Contains(("paused", "Suspended", "Job suspended"), _events.Recorded);
    }

    [Fact]
    public async Task AnIndexedJob_StartsTheMissingIndexes_EachKnowingItsIndex()
    {
        var job = JobMake.Job("shards", completions: 3, parallelism: 3, mode: JobNames.Indexed, started: Make.Now.AddMinutes(-1));
        var (controller, client) = Controller(job, JobMake.Pod(job, "shards-1-abcde", "Succeeded", index: 1));

        await controller.SyncAsync("default/shards", CancellationToken.None);

        var created = _podControl.Created.OrderBy(p => p.Metadata.GenerateName).ToList();
        Assert.Equal(["shards-0-", "shards-2-"], created.Select(p => p.Metadata.GenerateName));
        Assert.Equal(["0", "2"], created.Select(p => p.Metadata.Annotations[JobNames.CompletionIndex]));
        Assert.Equal(["0", "2"], created.Select(p => p.Metadata.Labels[JobNames.CompletionIndex]));
        Assert.Equal(["shards-0", "shards-2"], created.Select(p => p.Spec.Hostname));
        var env = Assert.Single(created[0].Spec.Containers[0].Env);
        Assert.Equal((JobNames.CompletionIndexEnv, "metadata.labels['batch.kubernetes.io/job-completion-index']"), (env.Name, env.ValueFrom.FieldRef.FieldPath));
        Assert.Equal(("1", 1), (client.Last!.CompletedIndexes, client.Last.Succeeded));
    }

    [Fact]
    public async Task TooManyPods_TheSurplusGoes_UnscheduledAndPendingFirst()
    {
        var job = JobMake.Job("busy", completions: null, parallelism: 1, started: Make.Now.AddMinutes(-1));
        var running = JobMake.Pod(job, "busy-running", ready: true);
        var pending = JobMake.Pod(job, "busy-pending", "Pending");
        pending.Spec.NodeName = null;
        var (controller, _) = Controller(job, running, pending);

        await controller.SyncAsync("default/busy", CancellationToken.None);

        Assert.Equal(["busy-pending"], _podControl.Deleted);
    }

    [Fact]
    public async Task PerIndex_AFailedIndexWaitsItsOwnBackoff_AndItsReplacementCarriesTheCount()
    {
        var job = PerIndexJob("idx", completions: 2, limit: 2);
        var failed = JobMake.Pod(job, "idx-0-a", "Failed", index: 0, finished: Make.Now.AddSeconds(-2));
        failed.Metadata.Annotations[JobController.IndexFailureCountAnnotation] = "0";
        var (controller, client) = Controller(job, failed, JobMake.Pod(job, "idx-1-a", index: 1));

        await controller.SyncAsync("default/idx", CancellationToken.None);

        Assert.Empty(_podControl.Created);
        Assert.DoesNotContain(_podControl.Patched, p => p.Name == "idx-0-a");  // it holds the count until replaced
        Assert.Equal(string.Empty, client.Last!.FailedIndexes);

        _time.Advance(TimeSpan.FromSeconds(9));
        var (next, _) = Controller(job, failed, JobMake.Pod(job, "idx-1-a", index: 1));
        await next.SyncAsync("default/idx", CancellationToken.None);
        var replacement = Assert.Single(_podControl.Created);
        Assert.Equal(("0", "1"), (replacement.Metadata.Annotations[JobNames.CompletionIndex], replacement.Metadata.Annotations[JobController.IndexFailureCountAnnotation]));
    }

    [Fact]
    public async Task PerIndex_AnIndexPastItsLimitFailsForGood_AndTheJobWithIt()
    {
        var job = PerIndexJob("idx", completions: 2, limit: 1);
        var failed = JobMake.Pod(job, "idx-0-b", "Failed", index: 0);
        failed.Metadata.Annotations[JobController.IndexFailureCountAnnotation] = "1";
        var (controller, client) = Controller(job, failed, JobMake.Pod(job, "idx-1-a", "Succeeded", index: 1));

        await controller.SyncAsync("default/idx", CancellationToken.None);

        Assert.Empty(_podControl.Created);
        Assert.Equal(("0", "1"), (client.Last!.FailedIndexes, client.Last.CompletedIndexes));
        var target = client.Last.Conditions.First(c => c.Type == JobNames.FailureTarget);
        Assert.Equal((JobNames.FailedIndexes, JobNames.FailedIndexesMessage), (target.Reason, target.Message));
        Assert.Contains(client.Last.Conditions, c => c.Type == JobNames.Failed);
    }

    [Fact]
    public async Task PerIndex_MoreFailedIndexesThanAllowed_FailTheJobAtOnce()
    {
        var job = PerIndexJob("idx", completions: 3, limit: 0);
        job.Spec.MaxFailedIndexes = 0;
        var (controller, client) = Controller(job, JobMake.Pod(job, "idx-0-a", "Failed", index: 0), JobMake.Pod(job, "idx-1-a", index: 1));

        await controller.SyncAsync("default/idx", CancellationToken.None);

        var target = client.Last!.Conditions.First();
        Assert.Equal((JobNames.FailureTarget, JobNames.MaxFailedIndexesExceeded), (target.Type, target.Reason));
        Assert.Equal(["idx-1-a"], _podControl.Deleted);
    }

    [Fact]
    public async Task ASuccessPolicyMet_StopsTheOtherIndexes_AndCompletesTheJobWithTheRule()
    {
        var job = JobMake.Job("leader", completions: 3, parallelism: 3, mode: JobNames.Indexed, started: Make.Now.AddMinutes(-1));
        job.Spec.SuccessPolicy = new V1SuccessPolicy
        {
            Rules = [new V1SuccessPolicyRule { SucceededIndexes = "1-2", SucceededCount = 2 }, new V1SuccessPolicyRule { SucceededIndexes = "0" }],
        };
        var (controller, client) = Controller(job, JobMake.Pod(job, "leader-0-a", "Succeeded", index: 0), JobMake.Pod(job, "leader-1-a", index: 1), JobMake.Pod(job, "leader-2-a", index: 2));

        await controller.SyncAsync("default/leader", CancellationToken.None);

        Assert.Equal(["leader-1-a", "leader-2-a"], _podControl.Deleted.Order(StringComparer.Ordinal));
        var met = client.Last!.Conditions.Single(c => c.Type == JobNames.SuccessCriteriaMet);
        Assert.Equal((SuccessPolicies.Reason, "Matched rules at index 1"), (met.Reason, met.Message));
        Assert.DoesNotContain(client.Last.Conditions, c => c.Type == JobNames.Complete);

        // The stopped pods gone (not counted as failures): Complete, with the rule's reason.
        var after = DeepCopy.Of(job);
        after.Status = client.Last;
        var (next, nextClient) = Controller(after, JobMake.Pod(job, "leader-0-a", "Succeeded", index: 0, finalizer: false));
        await next.SyncAsync("default/leader", CancellationToken.None);
        var complete = nextClient.Last!.Conditions.Single(c => c.Type == JobNames.Complete);
        Assert.Equal((SuccessPolicies.Reason, "Matched rules at index 1"), (complete.Reason, complete.Message));
        Assert.Equal((1, 0, "0"), (nextClient.Last.Succeeded, nextClient.Last.Failed ?? 0, nextClient.Last.CompletedIndexes));
    }

    public static TheoryData<string, string?, int?, string?> SuccessRules() => new()
    {
        { "0,2", "0,2", null, "Matched rules at index 0" },
        { "0", "0,2", null, null },
        { "0,1", "0-2", 2, "Matched rules at index 0" },
        { "0", "0-2", 2, null },
        { "0-1", null, 2, "Matched rules at index 0" },
        { "0", null, 2, null },
        { "0,1", "7-9", null, null },   // names nothing below completions: skipped
        { "", "0", null, null },
    };

    [Theory]
    [MemberData(nameof(SuccessRules))]
    public void SuccessPolicyRules_AsUpstreamMatchesThem(string succeeded, string? indexes, int? count, string? expected) =>
        Assert.Equal(expected, SuccessPolicies.Match(
            new V1SuccessPolicy { Rules = [new V1SuccessPolicyRule { SucceededIndexes = indexes, SucceededCount = count }] },
            5,
            IndexSet.Parse(succeeded, 5)));

    private static V1Job PerIndexJob(string name, int completions, int limit)
    {
        var job = JobMake.Job(name, completions: completions, parallelism: completions, backoffLimit: int.MaxValue, mode: JobNames.Indexed, started: Make.Now.AddMinutes(-1));
        job.Spec.BackoffLimitPerIndex = limit;
        return job;
    }
}
