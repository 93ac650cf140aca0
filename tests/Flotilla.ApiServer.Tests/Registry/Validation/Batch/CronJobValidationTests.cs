using Flotilla.Api.Cron;
using Flotilla.ApiServer.Registry.Validation.Batch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Batch;

/// <summary>Upstream's TestValidateCronJob and its schedule and time zone cases.</summary>
public sealed class CronJobValidationTests
{
    public static TheoryData<Case<V1CronJob>> Cases => new()
    {
        new("descriptor", c => c.Spec.Schedule = "@hourly"),
        new("every", c => c.Spec.Schedule = "@every 1h30m"),
        new("names and steps", c => c.Spec.Schedule = "0-30/10 9-17 * JAN-jun mon,wed,FRI"),
        new("time zone", c => c.Spec.TimeZone = "America/New_York"),
        new("no schedule", c => c.Spec.Schedule = "", "spec.schedule: Required value"),
        new("four fields", c => c.Spec.Schedule = "* * * *", "spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]"),
        new("six fields", c => c.Spec.Schedule = "0 * * * * *", "spec.schedule: Invalid value: \"0 * * * * *\": expected exactly 5 fields, found 6: [0 * * * * *]"),
        new("minute too high", c => c.Spec.Schedule = "60 * * * *", "spec.schedule: Invalid value: \"60 * * * *\": end of range (60) above maximum (59): 60"),
        new("weekday 7", c => c.Spec.Schedule = "0 0 * * 7", "spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7"),
        new("day 0", c => c.Spec.Schedule = "0 0 0 * *", "spec.schedule: Invalid value: \"0 0 0 * *\": beginning of range (0) below minimum (1): 0"),
        new("reversed range", c => c.Spec.Schedule = "30-10 * * * *", "spec.schedule: Invalid value: \"30-10 * * * *\": beginning of range (30) beyond end of range (10): 30-10"),
        new("not a number", c => c.Spec.Schedule = "x * * * *", "spec.schedule: Invalid value: \"x * * * *\": failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
        new("zero step", c => c.Spec.Schedule = "*/0 * * * *", "spec.schedule: Invalid value: \"*/0 * * * *\": step of range should be a positive number: */0"),
        new("unknown descriptor", c => c.Spec.Schedule = "@fortnightly", "spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly"),
        new("bad every", c => c.Spec.Schedule = "@every 5", "spec.schedule: Invalid value: \"@every 5\": failed to parse duration @every 5: time: missing unit in duration \"5\""),
        new("TZ in schedule", c => c.Spec.Schedule = "TZ=UTC 0 * * * *", "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
        new("empty time zone", c => c.Spec.TimeZone = "", "spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"),
        new("unknown time zone", c => c.Spec.TimeZone = "Mars/Olympus", "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus"),
        new("malformed time zone", c => c.Spec.TimeZone = "Europe/../Paris", "spec.timeZone: Invalid value: \"Europe/../Paris\": unknown time zone Europe/../Paris"),
        new("local time zone", c => c.Spec.TimeZone = "Local", "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"),
        new("concurrency policy", c => c.Spec.ConcurrencyPolicy = "Queue", "spec.concurrencyPolicy: Unsupported value: \"Queue\": supported values: \"Allow\", \"Forbid\", \"Replace\""),
        new("negative deadline", c => c.Spec.StartingDeadlineSeconds = -1, "spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"),
        new("negative history", c => c.Spec.SuccessfulJobsHistoryLimit = -1, "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
        new("job template restartPolicy", c => c.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = "Always", "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
        new("job template selector", c => c.Spec.JobTemplate.Spec.Selector = ValidObjects.Selector(), "spec.jobTemplate.spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}: `selector` will be auto-generated"),
        new("job template manual selector", c => c.Spec.JobTemplate.Spec.ManualSelector = true, "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\""),
        new("long name", c => c.Metadata.Name = new string('c', 53), $"metadata.name: Invalid value: \"{new string('c', 53)}\": must be no more than 52 characters"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_CronJob_UpstreamErrors(Case<V1CronJob> row)
    {
        var cronJob = ValidObjects.CronJob();
        row.Break(cronJob);

        Errors.Equal(CronJobValidation.Validate(cronJob), row.Expected);
    }

    [Fact]
    public void ValidateUpdate_ExistingTzSchedule_Grandfathered()
    {
        var old = ValidObjects.CronJob();
        old.Spec.Schedule = "CRON_TZ=UTC 0 * * * *";
        var cronJob = ValidObjects.CronJob();
        cronJob.Spec.Schedule = "CRON_TZ=UTC 5 * * * *";

        Errors.Equal(CronJobValidation.ValidateUpdate(cronJob, old));
    }

    [Fact]
    public void ValidateUpdate_TzScheduleWithTimeZone_Rejected()
    {
        var old = ValidObjects.CronJob();
        old.Spec.Schedule = "TZ=UTC 0 * * * *";
        var cronJob = ValidObjects.CronJob();
        cronJob.Spec.Schedule = "TZ=UTC 0 * * * *";
        cronJob.Spec.TimeZone = "UTC";

        Errors.Equal(CronJobValidation.ValidateUpdate(cronJob, old), "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use both timeZone field and TZ or CRON_TZ in schedule");
    }

    [Fact]
    public void ValidateUpdate_LongName_NotCheckedAgain()
    {
        var old = ValidObjects.CronJob();
        old.Metadata.Name = new string('c', 60);
        var cronJob = ValidObjects.CronJob();
        cronJob.Metadata.Name = old.Metadata.Name;

        Errors.Equal(CronJobValidation.ValidateUpdate(cronJob, old));
    }

    [Theory]
    [InlineData("* * * * *", null)]
    [InlineData("@midnight", null)]
    [InlineData("@every 1.5h", null)]
    [InlineData("CRON_TZ=Europe/Paris 0 9 * * 1-5", null)]
    [InlineData("5/15 * * * *", null)]
    [InlineData("? * * * *", null)]
    [InlineData("", "empty spec string")]
    [InlineData("1-2-3 * * * *", "too many hyphens: 1-2-3")]
    [InlineData("1/2/3 * * * *", "too many slashes: 1/2/3")]
    [InlineData("-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax")]
    [InlineData("0 0 * foo *", "failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax")]
    [InlineData("TZ=Nowhere/Land 0 * * * *", "provided bad location Nowhere/Land: unknown time zone Nowhere/Land")]
    [InlineData("@every 5y", "failed to parse duration @every 5y: time: unknown unit \"y\" in duration \"5y\"")]
    [InlineData("@every", "unrecognized descriptor: @every")]
    public void CronSchedule_Parse_RobfigCronErrors(string schedule, string? expected) =>
        Assert.Equal(expected, CronSchedule.Parse(schedule));
}
