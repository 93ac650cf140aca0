using System.Globalization;
using Flotilla.Api.Cron;

namespace Flotilla.Api.Tests.Cron;

/// <summary>robfig/cron v3's SpecSchedule.Next, case by case (many from its spec_test.go).</summary>
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo NewYork = TimeZones.Load("America/New_York")!;

    [Theory]
    [InlineData("*/15 * * * *", "2026-12-01T10:07:30Z", "2026-12-01T10:15:00Z")]
    [InlineData("*/15 * * * *", "2026-12-01T10:15:00Z", "2026-12-01T10:30:00Z")]
    [InlineData("0 0 * * *", "2026-12-01T10:00:00Z", "2026-12-02T00:00:00Z")]
    [InlineData("30 6-16/4 * * 1-5", "2026-12-04T15:00:00Z", "2026-12-07T06:30:00Z")]
    [InlineData("0 0 * * 1", "2026-12-01T00:00:00Z", "2026-12-07T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 1,15 * 3", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")]   // either day field: the 2nd is a Wednesday
    [InlineData("0 0 */2 * 1", "2026-12-01T00:00:00Z", "2026-12-03T00:00:00Z")]   // "*/2" is no star: odd days or Mondays
    [InlineData("0 0 * * 3", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")]
    [InlineData("0 0 ? * 3", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")]
    [InlineData("0 12 * jan,jul sun", "2026-12-01T00:00:00Z", "2027-01-03T12:00:00Z")]
    [InlineData("@hourly", "2026-12-01T10:59:59Z", "2026-12-01T11:00:00Z")]
    [InlineData("@daily", "2026-12-01T10:00:00Z", "2026-12-02T00:00:00Z")]
    [InlineData("@weekly", "2026-12-01T10:00:00Z", "2026-12-06T00:00:00Z")]
    [InlineData("@monthly", "2026-12-01T10:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@yearly", "2026-12-01T10:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@every 90m", "2026-12-01T10:00:00.5Z", "2026-12-01T11:30:00Z")]
    [InlineData("@every 100ms", "2026-12-01T10:00:00Z", "2026-12-01T10:00:01Z")]
    [InlineData("TZ=America/New_York 0 9 * * *", "2026-12-01T12:00:00Z", "2026-12-01T14:00:00Z")]
    public void NextIsRobfigs(string spec, string after, string expected)
    {
        Assert.Null(CronSchedule.TryParse(spec, out var schedule));
        Assert.Equal(At(expected), schedule!.Next(At(after), TimeZoneInfo.Utc));
    }

    [Fact]
    public void AnImpossibleDateNeverComes()
    {
        Assert.Null(CronSchedule.TryParse("0 0 30 2 *", out var schedule));
        Assert.Null(schedule!.Next(At("2026-12-01T00:00:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void TheZoneGiven_IsWhereTheScheduleIsRead()
    {
        Assert.Null(CronSchedule.TryParse("0 9 * * *", out var schedule));
        Assert.Equal(At("2026-12-01T14:00:00Z"), schedule!.Next(At("2026-12-01T12:00:00Z"), NewYork));
        Assert.Equal(At("2026-07-01T13:00:00Z"), schedule.Next(At("2026-07-01T12:00:00Z"), NewYork));  // EDT
    }

    [Fact]
    public void DaylightSaving_SkipsAMissingTime_AndRepeatsARepeatedOne()
    {
        // 8 March 2026: 02:00 EST jumps to 03:00 EDT, so 02:30 does not happen that day.
        Assert.Null(CronSchedule.TryParse("30 2 * * *", out var skipped));
        Assert.Equal(At("2026-03-09T06:30:00Z"), skipped!.Next(At("2026-03-08T05:00:00Z"), NewYork));

        // 1 November 2026: 01:00-02:00 happens twice; 01:30 comes in both.
        Assert.Null(CronSchedule.TryParse("30 1 * * *", out var twice));
        var first = twice!.Next(At("2026-11-01T04:00:00Z"), NewYork);
        Assert.Equal(At("2026-11-01T05:30:00Z"), first);  // 01:30 EDT
        Assert.Equal(At("2026-11-01T06:30:00Z"), twice.Next(first!.Value, NewYork));  // 01:30 EST
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
