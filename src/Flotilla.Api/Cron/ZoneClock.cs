namespace Flotilla.Api.Cron;

/// <summary>Go's time in a location: wall clock from an instant, and an instant from a wall clock (time.Date, AddDate).</summary>
internal readonly struct ZoneClock(TimeZoneInfo zone)
{
    public DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone);

    public DateTimeOffset Date(int year, int month, int day, int hour) => FromWall(new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified));

    /// <summary>Go's AddDate: the wall clock moved by months and days, overflow normalised (31 January + 1 month = 3 March).</summary>
    public DateTimeOffset AddDate(DateTimeOffset t, int months, int days)
    {
        var l = Local(t);
        var wall = new DateTime(l.Year, l.Month, 1, l.Hour, l.Minute, l.Second, DateTimeKind.Unspecified).AddMonths(months).AddDays(l.Day - 1 + days);
        return FromWall(wall);
    }

    /// <summary>A wall clock time as an instant: in a gap (spring forward) with the offset before it, as Go does; when repeated, the first.</summary>
    private DateTimeOffset FromWall(DateTime wall)
    {
        TimeSpan offset;
        if (zone.IsInvalidTime(wall))
        {
            offset = zone.GetUtcOffset(wall.AddHours(-3));
        }
        else if (zone.IsAmbiguousTime(wall))
        {
            offset = zone.GetAmbiguousTimeOffsets(wall).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(wall);
        }

        return new DateTimeOffset(wall, offset).ToUniversalTime();
    }
}
