using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class CronJobPrinterTests
{
    // Upstream's TestPrintCronJob, wide.
    public static TheoryData<string, V1CronJob, object[]> CronJobs => new()
    {
        {
            "scheduled before",
            CronJob(suspend: false, lastSchedule: Clock.Ago(seconds: 30), created: Clock.JustCreated),
            ["cronjob1", "0/5 * * * ?", "<none>", "False", 0L, "30s", "0s", "fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "a=b"]
        },
        {
            "never scheduled, time zone, running jobs",
            CronJob(suspend: true, created: Clock.Ago(days: 3650), timeZone: "Europe/Berlin", active: 2),
            ["cronjob1", "0/5 * * * ?", "Europe/Berlin", "True", 2L, "<none>", "10y", "fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "a=b"]
        },
        {
            "suspend unset",
            CronJob(suspend: null, created: Clock.Ago(days: 3650)),
            ["cronjob1", "0/5 * * * ?", "<none>", "<unset>", 0L, "<none>", "10y", "fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "a=b"]
        },
    };

    [Theory]
    [MemberData(nameof(CronJobs))]
    public void Cells_CronJob_MatchesKubectl(string scenario, V1CronJob cronJob, object[] expected) =>
        Assert.True(expected.SequenceEqual(new CronJobPrinter().Cells(cronJob, Clock.Now)), scenario);

    [Fact]
    public void Columns_MatchUpstream()
    {
        var columns = new CronJobPrinter().Columns;

        Assert.Equal(["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector"], columns.Select(c => c.Name));
        Assert.Equal(["string", "string", "string", "boolean", "integer", "string", "string", "string", "string", "string"], columns.Select(c => c.Type));
    }

    private static V1CronJob CronJob(bool? suspend, DateTime created, DateTime? lastSchedule = null, string? timeZone = null, int active = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cronjob1", CreationTimestamp = created },
        Spec = new V1CronJobSpec
        {
            Schedule = "0/5 * * * ?",
            TimeZone = timeZone,
            Suspend = suspend,
            JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = Templates.TwoContainers("fake-job"), Selector = Templates.Selector("a", "b") } },
        },
        Status = new V1CronJobStatus
        {
            LastScheduleTime = lastSchedule,
            Active = [.. Enumerable.Range(0, active).Select(i => new V1ObjectReference { Name = $"job{i}" })],
        },
    };
}
