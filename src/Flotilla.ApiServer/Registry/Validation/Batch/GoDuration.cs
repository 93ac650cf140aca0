using Flotilla.Api.Serialization;

namespace Flotilla.ApiServer.Registry.Validation.Batch;

/// <summary>Go's time.ParseDuration, for the errors it reports (<c>@every</c> schedules).</summary>
public static class GoDuration
{
    private static readonly string[] Units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"];

    /// <summary>Null when <paramref name="text"/> is a valid Go duration; otherwise Go's error text.</summary>
    public static string? ParseError(string text)
    {
        var quoted = GoQuote.Quote(text);
        var s = text;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        if (s == "0")
        {
            return null;
        }

        if (s.Length == 0)
        {
            return $"time: invalid duration {quoted}";
        }

        while (s.Length > 0)
        {
            var integer = LeadingDigits(s);
            s = s[integer..];
            var fraction = 0;
            if (s.StartsWith('.'))
            {
                s = s[1..];
                fraction = LeadingDigits(s);
                s = s[fraction..];
            }

            if (integer == 0 && fraction == 0)
            {
                return $"time: invalid duration {quoted}";
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                return $"time: missing unit in duration {quoted}";
            }

            var unit = s[..unitLength];
            if (!Units.Contains(unit))
            {
                return $"time: unknown unit {GoQuote.Quote(unit)} in duration {quoted}";
            }

            s = s[unitLength..];
        }

        return null;
    }

    private static int LeadingDigits(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i;
    }
}
