using System.Globalization;

namespace Flotilla.ApiServer.Registry;

/// <summary>Timestamps as the real API server keeps them: UTC, whole seconds (metav1.Time's RFC 3339 form).</summary>
public static class Timestamps
{
    public static DateTime Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    public static string? Format(DateTime? t) =>
        t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
