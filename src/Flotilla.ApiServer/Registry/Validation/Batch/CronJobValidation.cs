using Flotilla.Api.Cron;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Batch;

/// <summary>Upstream ValidateCronJobCreate and ValidateCronJobUpdate.</summary>
public static class CronJobValidation
{
    /// <summary>The controller appends an 11-character suffix to job names, which are DNS-1035 labels (63).</summary>
    public const int MaxNameLength = 52;

    public static List<FieldError> Validate(V1CronJob cronJob)
    {
        var errors = ValidateSpec(cronJob.Spec, null);
        var name = cronJob.Metadata?.Name ?? string.Empty;
        if (name.Length > MaxNameLength)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata").Child("name"), name, $"must be no more than {MaxNameLength} characters"));
        }

        return errors;
    }

    /// <summary>On update the name length is not checked again, so older long-named cron jobs can still be changed.</summary>
    public static List<FieldError> ValidateUpdate(V1CronJob cronJob, V1CronJob old) => ValidateSpec(cronJob.Spec, old.Spec ?? new V1CronJobSpec());

    private static List<FieldError> ValidateSpec(V1CronJobSpec? spec, V1CronJobSpec? old)
    {
        spec ??= new V1CronJobSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(spec.Schedule))
        {
            errors.Add(FieldError.Required(path.Child("schedule")));
        }
        else
        {
            // A TZ prefix is grandfathered for cron jobs that already had one.
            var allowTz = old?.Schedule?.Contains("TZ", StringComparison.Ordinal) == true;
            errors.AddRange(Schedule(spec.Schedule, allowTz, spec.TimeZone, path.Child("schedule")));
        }

        errors.AddRange(FieldChecks.NonNegative(spec.StartingDeadlineSeconds, path.Child("startingDeadlineSeconds")));
        if (old is null || old.TimeZone != spec.TimeZone)
        {
            errors.AddRange(TimeZone(spec.TimeZone, path.Child("timeZone")));
        }

        // concurrencyPolicy defaults to Allow.
        if (!string.IsNullOrEmpty(spec.ConcurrencyPolicy) && spec.ConcurrencyPolicy is not ("Allow" or "Forbid" or "Replace"))
        {
            errors.Add(FieldError.NotSupported(path.Child("concurrencyPolicy"), spec.ConcurrencyPolicy, ["Allow", "Forbid", "Replace"]));
        }

        errors.AddRange(JobTemplate(spec.JobTemplate, path.Child("jobTemplate")));
        errors.AddRange(FieldChecks.NonNegative(spec.SuccessfulJobsHistoryLimit, path.Child("successfulJobsHistoryLimit")));
        errors.AddRange(FieldChecks.NonNegative(spec.FailedJobsHistoryLimit, path.Child("failedJobsHistoryLimit")));
        return errors;
    }

    private static IEnumerable<FieldError> Schedule(string schedule, bool allowTz, string? timeZone, FieldPath path)
    {
        if (CronSchedule.Parse(schedule) is { } error)
        {
            yield return FieldError.Invalid(path, schedule, error);
        }

        var hasTz = schedule.Contains("TZ", StringComparison.Ordinal);
        if (allowTz && hasTz && timeZone is not null)
        {
            yield return FieldError.Invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule");
        }
        else if (!allowTz && hasTz)
        {
            yield return FieldError.Invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
    }

    private static IEnumerable<FieldError> TimeZone(string? timeZone, FieldPath path)
    {
        if (timeZone is null)
        {
            yield break;
        }

        if (timeZone.Length == 0)
        {
            yield return FieldError.Invalid(path, timeZone, "timeZone must be nil or non-empty string");
            yield break;
        }

        if (!TimeZones.IsValidName(timeZone))
        {
            yield return FieldError.Invalid(path, timeZone, $"unknown time zone {timeZone}");
            yield break;
        }

        if (timeZone.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            yield return FieldError.Invalid(path, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
        }

        if (TimeZones.LoadError(timeZone) is { } error)
        {
            yield return FieldError.Invalid(path, timeZone, error);
        }
    }

    // Upstream ValidateJobTemplateSpec: the job spec, with a selector left for the controller to generate.
    private static IEnumerable<FieldError> JobTemplate(V1JobTemplateSpec? template, FieldPath path)
    {
        var spec = template?.Spec;
        var errors = JobSpecValidation.Validate(spec, path.Child("spec"));
        if (spec?.Selector is not null)
        {
            errors.Add(FieldError.Invalid(path.Child("spec", "selector"), GoSyntax.LabelSelector(spec.Selector), "`selector` will be auto-generated"));
        }

        if (spec?.ManualSelector == true)
        {
            errors.Add(FieldError.NotSupported(path.Child("spec", "manualSelector"), true, ["nil", "false"]));
        }

        return errors;
    }
}
