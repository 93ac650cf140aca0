namespace Flotilla.Api.Cron;

/// <summary>robfig/cron's SpecSchedule.Next over the parsed fields.</summary>
public sealed partial class CronSchedule
{
    /// <summary>
    /// The first time strictly after <paramref name="after"/> that the schedule names (robfig/cron's Next, to the
    /// second), evaluated in its <c>TZ=</c> zone or else in <paramref name="zone"/>; null when none comes within five
    /// years (an impossible date such as February 30). <c>@every D</c> is <paramref name="after"/> plus D.
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (_every is { } delay)
        {
            return after.AddTicks(-(after.UtcTicks % TimeSpan.TicksPerSecond)) + delay;
        }

        var clock = new ZoneClock(Zone ?? zone);
        var t = after.ToUniversalTime();
        t = t.AddTicks(TimeSpan.TicksPerSecond - (t.UtcTicks % TimeSpan.TicksPerSecond));
        var added = false;
        var yearLimit = clock.Local(t).Year + 5;
    Wrap:
        var l = clock.Local(t);
        if (l.Year > yearLimit)
        {
            return null;
        }

        while ((1UL << l.Month & _month) == 0)
        {
            if (!added)
            {
                added = true;
                t = clock.Date(l.Year, l.Month, 1, 0);
            }

            t = clock.AddDate(t, months: 1, days: 0);
            l = clock.Local(t);
            if (l.Month == 1)
            {
                goto Wrap;
            }
        }

        while (!DayMatches(l))
        {
            if (!added)
            {
                added = true;
                t = clock.Date(l.Year, l.Month, l.Day, 0);
            }

            t = clock.AddDate(t, months: 0, days: 1);
            l = clock.Local(t);

            // Midnight may not exist (daylight saving): back to it, or on to the next.
            if (l.Hour != 0)
            {
                t = t.AddHours(l.Hour > 12 ? 24 - l.Hour : -l.Hour);
                l = clock.Local(t);
            }

            if (l.Day == 1)
            {
                goto Wrap;
            }
        }

        while ((1UL << l.Hour & _hour) == 0)
        {
            if (!added)
            {
                added = true;
                t = clock.Date(l.Year, l.Month, l.Day, l.Hour);
            }

            t = t.AddHours(1);
            l = clock.Local(t);
            if (l.Hour == 0)
            {
                goto Wrap;
            }
        }

        while ((1UL << l.Minute & _minute) == 0)
        {
            if (!added)
            {
                added = true;
                t = t.AddTicks(-(t.UtcTicks % TimeSpan.TicksPerMinute));
            }

            t = t.AddMinutes(1);
            l = clock.Local(t);
            if (l.Minute == 0)
            {
                goto Wrap;
            }
        }

        // Seconds: always 0 in the standard syntax.
        while (l.Second != 0)
        {
            if (!added)
            {
                added = true;
                t = t.AddTicks(-(t.UtcTicks % TimeSpan.TicksPerSecond));
            }

            t = t.AddSeconds(1);
            l = clock.Local(t);
            if (l.Second == 0)
            {
                goto Wrap;
            }
        }

        return t;
    }

    /// <summary>Day of month and day of week both count when either field is a star; otherwise either one does.</summary>
    private bool DayMatches(DateTimeOffset local)
    {
        var dom = (1UL << local.Day & _dom) != 0;
        var dow = (1UL << (int)local.DayOfWeek & _dow) != 0;
        return (_dom & StarBit) != 0 || (_dow & StarBit) != 0 ? dom && dow : dom || dow;
    }
}
