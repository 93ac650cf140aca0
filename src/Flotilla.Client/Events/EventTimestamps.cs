namespace Flotilla.Client.Events;

/// <summary>
/// firstTimestamp and lastTimestamp as client-go sends them: metav1.Time, whole seconds in UTC.
/// </summary>
internal static class EventTimestamps
{
    public static DateTime Of(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
