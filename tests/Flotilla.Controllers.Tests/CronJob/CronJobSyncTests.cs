using Flotilla.Api.Cron;
using Flotilla.Controllers.CronJob;
using Flotilla.Controllers.Job;
using Flotilla.Controllers.Tests.Testing;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.CronJob;

/// <summary>One SyncAsync at a time, the clock fixed: given a CronJob and its Jobs, expect these Jobs, deletions, status and events.</summary>
public sealed class CronJobSyncTests
{
    // 12:00:00 UTC on 1 December 2026.
    private static readonly DateTimeOffset Created = Make.Now;
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly RecordingEvents _events = new();

    [Fact]
    public async Task AtItsTime_ACronJobCreatesItsJob()
    {
        var cronJob = CronJob("tick", "*/5 * * * *");
        _time.SetUtcNow(Created.AddMinutes(5).AddSeconds(3));
        var (controller, client) = Controller(cronJob);

        await controller.SyncAsync("default/tick", CancellationToken.None);

        var job = Assert.Single(client.Created);
        var scheduled = Created.AddMinutes(5);
        Assert.Equal($"tick-{scheduled.ToUnixTimeSeconds() / 60}", job.Metadata.Name);
        Assert.Equal("2026-12-01T12:05:00Z", job.Metadata.Annotations[CronJobSchedule.ScheduledTimestampAnnotation]);
        Assert.Equal("tick", job.Metadata.Labels["app"]);
        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("batch/v1", "CronJob", "uid-tick", true, true), (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var status = Assert.Single(client.StatusWrites);
        Assert.Equal(scheduled.UtcDateTime, status.LastScheduleTime);
        Assert.Equal(job.Metadata.Name, Assert.Single(status.Active).Name);
        Assert.Contains(("tick", "SuccessfulCreate", $"Created job {job.Metadata.Name}"), _events.Recorded);
    }

    [Fact]
    public async Task BeforeItsTime_NothingHappens()
    {
        _time.SetUtcNow(Created.AddMinutes(4));
        var (controller, client) = Controller(CronJob("tick", "*/5 * * * *"));

        await controller.SyncAsync("default/tick", CancellationToken.None);

        Assert.Empty(client.Created);
        Assert.Empty(client.StatusWrites);
    }

    [Fact]
    public async Task Forbid_WaitsForTheRunningJob_Replace_DeletesIt()
    {
        _time.SetUtcNow(Created.AddMinutes(10).AddSeconds(1));
        var forbid = CronJob("solo", "*/5 * * * *", policy: "Forbid", lastSchedule: Created.AddMinutes(5));
        var running = Job(forbid, "solo-1");
        forbid.Status.Active = [Reference(running)];
        var (controller, client) = Controller(forbid, running);
        await controller.SyncAsync("default/solo", CancellationToken.None);
        Assert.Empty(client.Created);
        Assert.Contains(("solo", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"), _events.Recorded);

        var replace = CronJob("swap", "*/5 * * * *", policy: "Replace", lastSchedule: Created.AddMinutes(5));
        var old = Job(replace, "swap-1");
        replace.Status.Active = [Reference(old)];
        var (second, secondClient) = Controller(replace, old);
        await second.SyncAsync("default/swap", CancellationToken.None);
        Assert.Equal(["swap-1"], secondClient.Deleted);
        Assert.Single(secondClient.Created);
        Assert.DoesNotContain(secondClient.StatusWrites[^1].Active, r => r.Name == "swap-1");
        Assert.Contains(("swap", "SuccessfulDelete", "Deleted job swap-1"), _events.Recorded);
    }

    [Fact]
    public async Task ASuspendedCronJob_StartsNothing()
    {
        _time.SetUtcNow(Created.AddHours(1));
        var cronJob = CronJob("held", "*/5 * * * *");
        cronJob.Spec.Suspend = true;
        var (controller, client) = Controller(cronJob);

        await controller.SyncAsync("default/held", CancellationToken.None);

        Assert.Empty(client.Created);
    }

    [Fact]
    public async Task AFinishedJob_LeavesTheActiveList_AndOnlyTheNewestAreKept()
    {
        _time.SetUtcNow(Created.AddMinutes(2));
        var cronJob = CronJob("hist", "0 0 1 1 *");
        cronJob.Spec.SuccessfulJobsHistoryLimit = 2;
        var jobs = Enumerable.Range(1, 4).Select(i => Job(cronJob, $"hist-{i}", JobNames.Complete, Created.AddMinutes(-10 + i))).ToArray();
        cronJob.Status.Active = [Reference(jobs[3])];
        var (controller, client) = Controller(cronJob, jobs);

        await controller.SyncAsync("default/hist", CancellationToken.None);

        Assert.Equal(["hist-1", "hist-2"], client.Deleted);
        var status = Assert.Single(client.StatusWrites);
        Assert.Empty(status.Active);
        Assert.Equal(Created.AddMinutes(-5).UtcDateTime, status.LastSuccessfulTime);
        Assert.Contains(("hist", "SawCompletedJob", "Saw completed job: hist-4, condition: Complete"), _events.Recorded);
    }

    [Theory]
    [InlineData(7, 5, "None")]       // one start due: the 12:05
    [InlineData(30, 30, "Few")]      // 12:05 ... 12:30 missed: the most recent is 12:30
    [InlineData(60 * 24 * 10, 60 * 24 * 10, "Many")]
    public void TheMostRecentStart_AndHowManyWereMissed(int minutesLater, int expectedMinute, string missed)
    {
        var cronJob = CronJob("m", minutesLater > 60 ? "* * * * *" : "*/5 * * * *");
        CronSchedule.TryParse(cronJob.Spec.Schedule, out var schedule);

        var (_, mostRecent, count, error) = CronJobSchedule.MostRecent(cronJob, Created.AddMinutes(minutesLater), schedule!, TimeZoneInfo.Utc, includeStartingDeadline: true);

        Assert.Null(error);
        Assert.Equal(Created.AddMinutes(expectedMinute), mostRecent);
        Assert.Equal(missed, count.ToString());
    }

    [Fact]
    public void TheStartingDeadline_OnlyLooksThatFarBack()
    {
        var cronJob = CronJob("d", "*/5 * * * *");
        cronJob.Spec.StartingDeadlineSeconds = 60;
        CronSchedule.TryParse(cronJob.Spec.Schedule, out var schedule);

        var (_, late, _, _) = CronJobSchedule.MostRecent(cronJob, Created.AddMinutes(32), schedule!, TimeZoneInfo.Utc, includeStartingDeadline: true);
        Assert.Null(late);
        var (_, inTime, _, _) = CronJobSchedule.MostRecent(cronJob, Created.AddMinutes(30).AddSeconds(30), schedule!, TimeZoneInfo.Utc, includeStartingDeadline: true);
        Assert.Equal(Created.AddMinutes(30), inTime);
    }

    [Fact]
    public void AnImpossibleSchedule_IsAnError() 
    {
        var cronJob = CronJob("never", "0 0 30 2 *");
        CronSchedule.TryParse(cronJob.Spec.Schedule, out var schedule);
        Assert.Equal("time difference between two schedules is less than 1 second", CronJobSchedule.MostRecent(cronJob, Created.AddDays(1), schedule!, TimeZoneInfo.Utc, true).Error);
    }

    private (CronJobController Controller, FakeCronJobClient Client) Controller(V1CronJob cronJob, params V1Job[] jobs)
    {
        var client = new FakeCronJobClient(cronJob, jobs);
        return (new CronJobController(Make.Lister(cronJob), Make.Lister(jobs), client, _events, _time, TimeZoneInfo.Utc, NullLogger.Instance), client);
    }

    private static V1CronJob CronJob(string name, string schedule, string policy = "Allow", DateTimeOffset? lastSchedule = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, CreationTimestamp = Created.UtcDateTime, ResourceVersion = "1" },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            ConcurrencyPolicy = policy,
            Suspend = false,
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] } } },
            },
        },
        Status = new V1CronJobStatus { LastScheduleTime = lastSchedule?.UtcDateTime },
    };

    private static V1Job Job(V1CronJob owner, string name, string? finished = null, DateTimeOffset? at = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            ResourceVersion = "1",
            OwnerReferences = [Flotilla.Controllers.Framework.OwnerReferences.ControllerRef(owner, "batch/v1", "CronJob")],
        },
        Spec = new V1JobSpec(),
        Status = new V1JobStatus
        {
            StartTime = at?.UtcDateTime,
            CompletionTime = finished == JobNames.Complete ? at?.AddMinutes(1).UtcDateTime : null,
            Conditions = finished is null ? null : [new V1JobCondition { Type = finished, Status = "True" }],
        },
    };

    private static V1ObjectReference Reference(V1Job job) => new() { Kind = "Job", ApiVersion = "batch/v1", NamespaceProperty = "default", Name = job.Metadata.Name, Uid = job.Metadata.Uid };
}
