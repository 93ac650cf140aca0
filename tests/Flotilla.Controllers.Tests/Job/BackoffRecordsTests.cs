using Flotilla.Controllers.Job;
using Flotilla.Controllers.Tests.Testing;

namespace Flotilla.Controllers.Tests.Job;

public sealed class BackoffRecordsTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 0, 10)]
    [InlineData(1, 4, 6)]
    [InlineData(2, 0, 20)]
    [InlineData(3, 0, 40)]
    [InlineData(7, 0, 600)]
    [InlineData(20, 0, 600)]
    [InlineData(1, 30, 0)]
    public void TheDelayDoublesFromTenSecondsToTenMinutes(int failures, int elapsedSeconds, int remainingSeconds)
    {
        var record = new BackoffRecord(failures, Make.Now);
        Assert.Equal(TimeSpan.FromSeconds(remainingSeconds), record.Remaining(Make.Now.AddSeconds(elapsedSeconds)));
    }

    [Fact]
    public void FailuresAddUp_AndASuccessKeepsOnlyTheFailuresAfterIt()
    {
        var job = JobMake.Job("j");
        var records = new BackoffRecords();
        var first = records.Next("default/j", [], [JobMake.Pod(job, "a", "Failed", finished: Make.Now.AddSeconds(-30))]);
        Assert.Equal(new BackoffRecord(1, Make.Now.AddSeconds(-30)), first);
        records.Store("default/j", first);

        var second = records.Next("default/j", [], [JobMake.Pod(job, "b", "Failed", finished: Make.Now.AddSeconds(-20)), JobMake.Pod(job, "c", "Failed", finished: Make.Now.AddSeconds(-10))]);
        Assert.Equal(new BackoffRecord(3, Make.Now.AddSeconds(-10)), second);
        records.Store("default/j", second);

        var afterSuccess = records.Next("default/j", [JobMake.Pod(job, "d", "Succeeded", finished: Make.Now.AddSeconds(-15))], [JobMake.Pod(job, "e", "Failed", finished: Make.Now.AddSeconds(-5)), JobMake.Pod(job, "f", "Failed", finished: Make.Now.AddSeconds(-25))]);
        Assert.Equal(new BackoffRecord(1, Make.Now.AddSeconds(-5)), afterSuccess);
        Assert.Equal(BackoffRecord.None, records.Next("default/j", [JobMake.Pod(job, "g", "Succeeded")], []));
    }
}
