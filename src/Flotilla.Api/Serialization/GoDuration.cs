namespace Flotilla.Api.Serialization;

/// <summary>
/// Go's <c>time.Duration</c> as text: <c>String()</c>, which is metav1.Duration's JSON form ("1h0m0s", "1.5s",
/// "300ms") and how Kubernetes components print durations in messages (the kubelet's back-offs, pulls and probe
/// timeouts), and <c>time.ParseDuration</c>, which reads flags and <c>@every</c> schedules ("1h30m", "90s", "-1.5h").
/// </summary>
public static class GoDuration
{
    private const ulong Microsecond = 1_000;
    private const ulong Millisecond = 1_000_000;
    private const ulong Second = 1_000_000_000;

    /// <summary>A TimeSpan, to its 100 ns ticks.</summary>
    public static string Format(TimeSpan duration) => Format(duration.Ticks * 100);

    public static string Format(long nanoseconds)
    {
        // As Go: the largest duration is 2562047h47m16.854775807s; 32 characters always suffice.
        Span<char> buffer = stackalloc char[32];
        var w = buffer.Length;
        var u = nanoseconds < 0 ? 0 - (ulong)nanoseconds : (ulong)nanoseconds;
        if (u == 0)
        {
            return "0s";
        }

        buffer[--w] = 's';
        if (u < Second)
        {
            // Below a second Go switches to the largest smaller unit with a fraction: 1.2ms, 3µs, 15ns.
            var (precision, unit) = u switch
            {
                < Microsecond => (0, 'n'),
                < Millisecond => (3, 'µ'),
                _ => (6, 'm'),
            };
            buffer[--w] = unit;
            u = Fraction(buffer, ref w, u, precision);
            Integer(buffer, ref w, u);
        }
        else
        {
            u = Fraction(buffer, ref w, u, 9);
            Integer(buffer, ref w, u % 60);
            u /= 60;
            if (u > 0)
            {
                buffer[--w] = 'm';
                Integer(buffer, ref w, u % 60);
                u /= 60;
                if (u > 0)
                {
                    buffer[--w] = 'h';
                    Integer(buffer, ref w, u);
                }
            }
        }

        if (nanoseconds < 0)
        {
            buffer[--w] = '-';
        }

        return new string(buffer[w..]);
    }

    // Writes the fraction of v / 10^precision without trailing zeros (nothing when it is zero); returns v / 10^precision.
    private static ulong Fraction(Span<char> buffer, ref int w, ulong v, int precision)
    {
        var print = false;
        for (var i = 0; i < precision; i++)
        {
            var digit = v % 10;
            print |= digit != 0;
            if (print)
            {
                buffer[--w] = (char)('0' + digit);
            }

            v /= 10;
        }

        if (print)
        {
            buffer[--w] = '.';
        }

        return v;
    }

    private static void Integer(Span<char> buffer, ref int w, ulong v)
    {
        do
        {
            buffer[--w] = (char)('0' + (v % 10));
            v /= 10;
        }
        while (v > 0);
    }

    private static readonly Dictionary<string, ulong> Units = new(StringComparer.Ordinal)
    {
        ["ns"] = 1,
        ["us"] = Microsecond,
        ["µs"] = Microsecond,  // U+00B5
        ["μs"] = Microsecond,  // U+03BC
        ["ms"] = Millisecond,
        ["s"] = Second,
        ["m"] = 60 * Second,
        ["h"] = 60 * 60 * Second,
    };

    /// <summary>Go's time.ParseDuration: true with the duration (to 100 ns ticks), or false.</summary>
    public static bool TryParse(string text, out TimeSpan duration) => ParseError(text, out duration) is null;

    /// <summary>Go's time.ParseDuration: null when <paramref name="text"/> is a duration, else Go's error text.</summary>
    public static string? ParseError(string text) => ParseError(text, out _);

    private static string? ParseError(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        var invalid = $"time: invalid duration {GoQuote.Quote(text)}";
        var s = text;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return null;
        }

        if (s.Length == 0)
        {
            return invalid;
        }

        ulong total = 0;
        while (s.Length > 0)
        {
            // The integer part, then an optional fraction.
            var digits = Digits(s);
            ulong whole = 0;
            if (digits > 0 && !ulong.TryParse(s.AsSpan(0, digits), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out whole))
            {
                return invalid;
            }

            s = s[digits..];
            var fraction = string.Empty;
            if (s.StartsWith('.'))
            {
                s = s[1..];
                var fractionDigits = Digits(s);
                fraction = s[..fractionDigits];
                s = s[fractionDigits..];
                if (digits == 0 && fractionDigits == 0)
                {
                    return invalid;
                }
            }
            else if (digits == 0)
            {
                return invalid;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                return $"time: missing unit in duration {GoQuote.Quote(text)}";
            }

            var unitName = s[..unitLength];
            if (!Units.TryGetValue(unitName, out var unit))
            {
                return $"time: unknown unit {GoQuote.Quote(unitName)} in duration {GoQuote.Quote(text)}";
            }

            s = s[unitLength..];
            if (whole > (1UL << 63) / unit)
            {
                return invalid;
            }

            var value = whole * unit;
            if (fraction.Length > 0)
            {
                // As Go: the fraction scaled by the unit, truncated to whole nanoseconds.
                value += (ulong)(decimal.Parse("0." + fraction, System.Globalization.CultureInfo.InvariantCulture) * unit);
            }

            total += value;
            if (total > 1UL << 63)
            {
                return invalid;
            }
        }

        if (total > long.MaxValue && !negative)
        {
            return invalid;
        }

        var nanoseconds = negative ? -(long)Math.Min(total, long.MaxValue) : (long)total;
        duration = TimeSpan.FromTicks(nanoseconds / 100);
        return null;
    }

    private static int Digits(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i;
    }
}
