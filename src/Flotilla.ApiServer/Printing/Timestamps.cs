namespace Flotilla.ApiServer.Printing;

/// <summary>The printers' <c>translateTimestampSince</c>: "&lt;unknown&gt;" for an unset time, else its age.</summary>
internal static class Timestamps
{
    public static string Since(DateTime? timestamp, DateTimeOffset now) =>
        IsZero(timestamp) ? "<unknown>" : HumanDuration.Format(now - ToOffset(timestamp!.Value));

    /// <summary>Go's zero <c>time.Time</c> arrives as null, or as <see cref="DateTime.MinValue"/> if it was sent.</summary>
    public static bool IsZero(DateTime? timestamp) => timestamp is null || timestamp.Value == DateTime.MinValue;

    /// <summary>Kubernetes times are UTC; an unspecified kind means UTC.</summary>
    public static DateTimeOffset ToOffset(DateTime timestamp) => timestamp.Kind switch
    {
        DateTimeKind.Unspecified => new DateTimeOffset(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc)),
        _ => new DateTimeOffset(timestamp),
    };

    /// <summary>The later of two times, an unset one counting as the earliest (<c>metav1.Time.Before</c>).</summary>
    public static DateTime? Later(DateTime? current, DateTime? candidate) =>
        IsZero(candidate) || (!IsZero(current) && ToOffset(candidate!.Value) <= ToOffset(current!.Value)) ? current : candidate;
}
