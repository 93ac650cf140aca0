using System.Globalization;

namespace Flotilla.Api;

/// <summary>Timestamps as the real API server keeps them: UTC, whole seconds (metav1.Time's RFC 3339 form).</summary>
public static class Timestamps
{
    public static DateTime Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Of(time.GetUtcNow());
    }

    public static DateTime Of(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    public static string? Format(DateTime? t) =>
        t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
