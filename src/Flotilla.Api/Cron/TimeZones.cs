using System.Text.RegularExpressions;

namespace Flotilla.Api.Cron;

/// <summary>Go's time.LoadLocation over the host's IANA time zone database.</summary>
public static partial class TimeZones
{
    /// <summary>Null when <paramref name="name"/> names a zone; otherwise Go's error text.</summary>
    public static string? LoadError(string name)
    {
        if (name is "" or "UTC" or "Local")
        {
            return null;
        }

        // Go rejects names that could escape the zoneinfo directory before looking anything up.
        if (name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal))
        {
            return "time: invalid location name";
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out _) || !HasDatabase() ? null : $"unknown time zone {name}";
    }

    /// <summary>Go's time.LoadLocation: the zone (<c>""</c> and <c>UTC</c> are UTC, <c>Local</c> this host's), or null.</summary>
    public static TimeZoneInfo? Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "" or "UTC" => TimeZoneInfo.Utc,
            "Local" => TimeZoneInfo.Local,
            _ when LoadError(name) is not null => null,
            _ => TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : null,
        };
    }

    /// <summary>The part rules of upstream's validateTimeZone (IANA naming, digits and '+' tolerated).</summary>
    public static bool IsValidName(string name) =>
        name.Split('/').All(part => part is not ("." or "..") && !part.StartsWith('-') && PartRegex().IsMatch(part));

    // Without a zone database (a minimal container) every name would fail; accept well-formed names instead.
    private static bool HasDatabase() => TimeZoneInfo.GetSystemTimeZones().Count > 1;

    [GeneratedRegex(@"^[A-Za-z\.\-_0-9+]{1,14}\z")]
    private static partial Regex PartRegex();
}
