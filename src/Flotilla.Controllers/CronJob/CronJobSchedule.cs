using System.Globalization;
using Flotilla.Api.Cron;
using k8s.Models;

namespace Flotilla.Controllers.CronJob;

/// <summary>How many start times were missed since the last one.</summary>
public enum MissedSchedules
{
    None,
    Few,
    Many,
}

/// <summary>
/// When a CronJob runs (upstream's cronjob utils): the most recent start time not yet taken, counted from the last
/// schedule (or creation) and at most <c>startingDeadlineSeconds</c> back, with upstream's approximation of how many
/// were missed (more than 100 is too many); the requeue delay until the next; the Job's name and annotation.
/// </summary>
public static class CronJobSchedule
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /// <summary>Added to every wait for the next start, so the sync lands after it.</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    public const int TooManyMissed = 100;

    /// <summary>Upstream's mostRecentScheduleTime.</summary>
    public static (DateTimeOffset Earliest, DateTimeOffset? MostRecent, MissedSchedules Missed, string? Error) MostRecent(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone, bool includeStartingDeadline)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(schedule);
        var earliest = Utc(cronJob.Metadata.CreationTimestamp ?? now.UtcDateTime);
        if (cronJob.Status?.LastScheduleTime is { } last)
        {
            earliest = Utc(last);
        }

        if (includeStartingDeadline && cronJob.Spec.StartingDeadlineSeconds is { } deadline)
        {
            var limit = now.AddSeconds(-deadline);
            if (limit > earliest)
            {
                earliest = limit;
            }
        }

        var t1 = schedule.Next(earliest, zone);
        var t2 = t1 is { } first ? schedule.Next(first, zone) : null;
        if (t1 is { } one && now < one)
        {
            return (earliest, null, MissedSchedules.None, null);
        }

        if (t1 is { } a && t2 is { } b && now < b)
        {
            return (earliest, a, MissedSchedules.None, null);
        }

        var interval = t1 is { } x && t2 is { } y ? (long)Math.Round((y - x).TotalSeconds, MidpointRounding.AwayFromZero) : 0;
        if (interval < 1)
        {
            return (earliest, null, MissedSchedules.None, "time difference between two schedules is less than 1 second");
        }

        var elapsed = (long)(now - t1!.Value).TotalSeconds;
        var missedCount = (elapsed / interval) + 1;

        // From a little before the estimate, the schedule itself finds the last time not after now.
        DateTimeOffset? mostRecent = null;
        var potentialEarliest = t1.Value.AddSeconds((missedCount - 2) * interval);
        for (var t = schedule.Next(potentialEarliest, zone); t is { } at && at <= now; t = schedule.Next(at, zone))
        {
            mostRecent = at;
        }

        var missed = missedCount > TooManyMissed ? MissedSchedules.Many : missedCount > 0 ? MissedSchedules.Few : MissedSchedules.None;
        return (earliest, mostRecent, missed, null);
    }

    /// <summary>Upstream's nextScheduleTimeDuration: how long until the next start, plus a little; null when none comes.</summary>
    public static TimeSpan? UntilNext(V1CronJob cronJob, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (earliest, mostRecent, missed, error) = MostRecent(cronJob, now, schedule, zone, includeStartingDeadline: false);
        var from = error is not null ? now : mostRecent ?? (missed == MissedSchedules.None ? earliest : now);
        return schedule.Next(from, zone) is { } next ? next + NextScheduleDelta - now : null;
    }

    /// <summary>Upstream's getJobName: the CronJob's name and the scheduled time in minutes since the epoch.</summary>
    public static string JobName(V1CronJob cronJob, DateTimeOffset scheduled) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJob.Metadata.Name}-{scheduled.ToUnixTimeSeconds() / 60}");

    /// <summary>The scheduled time as RFC 3339 in the CronJob's time zone (UTC without one).</summary>
    public static string ScheduledTimestamp(DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(scheduled, zone);
        return local.Offset == TimeSpan.Zero
            ? local.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
