namespace Flotilla.Api.Serialization;

/// <summary>
/// Go's <c>time.Duration.String()</c>, which is metav1.Duration's JSON form ("1h0m0s", "1.5s", "300ms") and how
/// Kubernetes components print durations in messages (the kubelet's back-offs, pulls and probe timeouts).
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
}
