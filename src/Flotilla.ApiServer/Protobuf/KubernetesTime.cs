using System.Globalization;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>The JSON form of metav1.Time (RFC 3339, whole seconds) and metav1.MicroTime (six fractional digits), both UTC.</summary>
internal static class KubernetesTime
{
    // Go's zero time.Time (January 1, year 1, UTC) in Unix seconds: metav1 writes it as null.
    private const long ZeroUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>The string for a protobuf Timestamp, or null for Go's zero time.</summary>
    public static string? Format(long seconds, int nanos, bool micro)
    {
        // As Go's time.Unix: fold nanoseconds outside [0, 1e9) into the seconds.
        seconds += nanos / 1_000_000_000;
        nanos %= 1_000_000_000;
        if (nanos < 0)
        {
            nanos += 1_000_000_000;
            seconds--;
        }

        if (seconds == ZeroUnixSeconds && nanos == 0)
        {
            return null;
        }

        if (seconds is < ZeroUnixSeconds or > MaxUnixSeconds)
        {
            throw new ProtobufDecodeException($"timestamp {seconds}s is outside the years 1 to 9999");
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return micro
            ? time.AddTicks(nanos / 100).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
    }
}
