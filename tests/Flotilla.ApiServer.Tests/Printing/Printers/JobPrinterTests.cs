using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class JobPrinterTests
{
    // Upstream's TestPrintJob and TestPrintJobList.
    public static TheoryData<string, V1Job, string, string, string, string> Jobs => new()
    {
        { "running", Job(completions: 2, succeeded: 1), "Running", "1/2", "", "0s" },
        { "no completions", Job(created: Clock.Ago(days: 3650)), "Running", "0/1", "", "10y" },
        { "finished", Job(created: Clock.Ago(days: 3650), start: Clock.Ago(minutes: -1), completion: Clock.Ago(minutes: -31)), "Running", "0/1", "30m", "10y" },
        { "still going", Job(created: Clock.Ago(days: 3650), start: Clock.Ago(minutes: 20)), "Running", "0/1", "20m", "10y" },
        { "complete", Job(conditions: [("Complete", "True")]), "Complete", "0/1", "", "0s" },
        { "failed", Job(conditions: [("Failed", "True")]), "Failed", "0/1", "", "0s" },
        { "suspended", Job(conditions: [("Suspended", "True")]), "Suspended", "0/1", "", "0s" },
        { "failure target", Job(conditions: [("FailureTarget", "True")]), "FailureTarget", "0/1", "", "0s" },
        { "terminating", Job(deleted: true), "Terminating", "0/1", "", "0s" },
        { "terminal condition beats deletion", Job(deleted: true, conditions: [("Complete", "True")]), "Complete", "0/1", "", "0s" },
        { "false condition ignored", Job(conditions: [("Complete", "False")]), "Running", "0/1", "", "0s" },
        { "parallel without completions", Job(parallelism: 3, succeeded: 1), "Running", "1/1 of 3", "", "0s" },
        { "list job with start", Job(completions: 2, succeeded: 2, start: Clock.Ago(minutes: 20)), "Running", "2/2", "20m", "0s" },
    };

    [Theory]
    [MemberData(nameof(Jobs))]
    public void Cells_Job_StatusCompletionsDuration(string scenario, V1Job job, string status, string completions, string duration, string age) =>
        Assert.True(new object[] { "job1", status, completions, duration, age }.SequenceEqual(new JobPrinter().Cells(job, Clock.Now).Take(5)), scenario);

    [Fact]
    public void Cells_Wide_ContainersImagesSelector()
    {
        var job = Job(completions: 2, succeeded: 1);
        job.Spec.Template = Templates.TwoContainers("fake-job");
        job.Spec.Selector = Templates.Selector("job-label", "job-label-value");

        Assert.Equal(
            ["fake-job-container1,fake-job-container2", "fake-job-image1,fake-job-image2", "job-label=job-label-value"],
            new JobPrinter().Cells(job, Clock.Now).Skip(5));
    }

    [Fact]
    public void Columns_MatchUpstream() => Assert.Equal(
        ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"],
        new JobPrinter().Columns.Select(c => c.Name));

    private static V1Job Job(
        int? completions = null,
        int? parallelism = null,
        int succeeded = 0,
        DateTime? created = null,
        DateTime? start = null,
        DateTime? completion = null,
        bool deleted = false,
        (string Type, string Status)[]? conditions = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = "job1", CreationTimestamp = created ?? Clock.JustCreated, DeletionTimestamp = deleted ? Clock.JustCreated : null },
            Spec = new V1JobSpec { Completions = completions, Parallelism = parallelism },
            Status = new V1JobStatus
            {
                Succeeded = succeeded,
                StartTime = start,
                CompletionTime = completion,
                Conditions = [.. (conditions ?? []).Select(c => new V1JobCondition { Type = c.Type, Status = c.Status })],
            },
        };
}
