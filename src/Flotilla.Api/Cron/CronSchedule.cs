using System.Globalization;
using System.Numerics;
using Flotilla.Api.Serialization;

namespace Flotilla.Api.Cron;

/// <summary>
/// A schedule in the syntax of robfig/cron v3's ParseStandard, which upstream's CronJob validation and controller
/// use: five fields (minute hour day-of-month month day-of-week) with ranges, steps, lists and names, the
/// <c>@hourly</c>-style descriptors, <c>@every &lt;duration&gt;</c>, and an optional <c>TZ=</c>/<c>CRON_TZ=</c>
/// prefix. Errors are worded as robfig/cron words them; <see cref="Next"/> is its SpecSchedule.Next.
/// </summary>
public sealed partial class CronSchedule
{
    private const ulong StarBit = 1UL << 63;

    private static readonly Bounds Minutes = new(0, 59, null);
    private static readonly Bounds Hours = new(0, 23, null);
    private static readonly Bounds DaysOfMonth = new(1, 31, null);

    private static readonly Bounds Months = new(1, 12, new Dictionary<string, long>
    {
        ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["may"] = 5, ["jun"] = 6,
        ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
    });

    private static readonly Bounds DaysOfWeek = new(0, 6, new Dictionary<string, long>
    {
        ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6,
    });

    private static readonly HashSet<string> Descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    private readonly ulong _minute;
    private readonly ulong _hour;
    private readonly ulong _dom;
    private readonly ulong _month;
    private readonly ulong _dow;
    private readonly TimeSpan? _every;

    private CronSchedule(ulong minute, ulong hour, ulong dom, ulong month, ulong dow, TimeZoneInfo? zone)
    {
        (_minute, _hour, _dom, _month, _dow) = (minute, hour, dom, month, dow);
        Zone = zone;
    }

    private CronSchedule(TimeSpan every) => _every = every;

    /// <summary>The zone a <c>TZ=</c> prefix named; null evaluates in the zone <see cref="Next"/> is given.</summary>
    public TimeZoneInfo? Zone { get; }

    /// <summary>Null when <paramref name="spec"/> parses; otherwise robfig/cron's error text.</summary>
    public static string? Parse(string spec) => TryParse(spec, out _);

    /// <summary>The schedule, or null with robfig/cron's error text.</summary>
    public static string? TryParse(string spec, out CronSchedule? schedule)
    {
        ArgumentNullException.ThrowIfNull(spec);
        schedule = null;
        if (spec.Length == 0)
        {
            return "empty spec string";
        }

        TimeZoneInfo? zone = null;

        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var equals = spec.IndexOf('=', StringComparison.Ordinal);

            // A zone with nothing after it is no schedule (robfig/cron would fail slicing it).
            var name = space < 0 ? spec[(equals + 1)..] : spec[(equals + 1)..space];
            var zoneError = space < 0 ? "unknown time zone " + name : TimeZones.LoadError(name);
            if (zoneError is not null)
            {
                return $"provided bad location {name}: {zoneError}";
            }

            zone = TimeZones.Load(name);
            spec = spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            return Descriptor(spec, zone, out schedule);
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
        }

        Bounds[] bounds = [Minutes, Hours, DaysOfMonth, Months, DaysOfWeek];
        var bits = new ulong[5];
        for (var i = 0; i < fields.Length; i++)
        {
            if (Field(fields[i], bounds[i], out bits[i]) is { } error)
            {
                return error;
            }
        }

        schedule = new CronSchedule(bits[0], bits[1], bits[2], bits[3], bits[4], zone);
        return null;
    }

    private static string? Descriptor(string spec, TimeZoneInfo? zone, out CronSchedule? schedule)
    {
        schedule = spec switch
        {
            "@yearly" or "@annually" => new CronSchedule(1, 1, 1UL << 1, 1UL << 1, All(DaysOfWeek), zone),
            "@monthly" => new CronSchedule(1, 1, 1UL << 1, All(Months), All(DaysOfWeek), zone),
            "@weekly" => new CronSchedule(1, 1, All(DaysOfMonth), All(Months), 1, zone),
            "@daily" or "@midnight" => new CronSchedule(1, 1, All(DaysOfMonth), All(Months), All(DaysOfWeek), zone),
            "@hourly" => new CronSchedule(1, All(Hours), All(DaysOfMonth), All(Months), All(DaysOfWeek), zone),
            _ => null,
        };
        if (schedule is not null)
        {
            return null;
        }

        const string every = "@every ";
        if (spec.StartsWith(every, StringComparison.Ordinal))
        {
            if (GoDuration.ParseError(spec[every.Length..]) is { } error)
            {
                return $"failed to parse duration {spec}: {error}";
            }

            // robfig's Every: at least a second, whole seconds.
            GoDuration.TryParse(spec[every.Length..], out var delay);
            delay = delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Floor(delay.TotalSeconds));
            schedule = new CronSchedule(delay);
            return null;
        }

        return $"unrecognized descriptor: {spec}";
    }

    private static ulong All(Bounds bounds) => Bits(bounds.Min, bounds.Max, 1) | StarBit;

    private static ulong Bits(long min, long max, long step)
    {
        ulong bits = 0;
        for (var i = min; i <= max; i += step)
        {
            bits |= 1UL << (int)i;
        }

        return bits;
    }

    private static string? Field(string field, Bounds bounds, out ulong bits)
    {
        bits = 0;
        foreach (var expression in field.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Range(expression, bounds, out var range) is { } error)
            {
                return error;
            }

            bits |= range;
        }

        return null;
    }

    private static string? Range(string expression, Bounds bounds, out ulong bits)
    {
        bits = 0;
        var rangeAndStep = expression.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        long start, end;
        ulong extra = 0;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end) = (bounds.Min, bounds.Max);
            extra = StarBit;
        }
        else
        {
            if (IntOrName(lowAndHigh[0], bounds, out start) is { } error)
            {
                return error;
            }

            switch (lowAndHigh.Length)
            {
                case 1:
                    end = start;
                    break;
                case 2:
                    if (IntOrName(lowAndHigh[1], bounds, out end) is { } highError)
                    {
                        return highError;
                    }

                    break;
                default:
                    return $"too many hyphens: {expression}";
            }
        }

        long step = 1;
        switch (rangeAndStep.Length)
        {
            case 1:
                break;
            case 2:
                if (Integer(rangeAndStep[1], out step) is { } stepError)
                {
                    return stepError;
                }

                // "N/step" means "N-max/step"; a step makes "*" no longer count as a star.
                if (lowAndHigh.Length == 1)
                {
                    end = bounds.Max;
                }

                if (step > 1)
                {
                    extra = 0;
                }

                break;
            default:
                return $"too many slashes: {expression}";
        }

        if (start < bounds.Min)
        {
            return $"beginning of range ({start}) below minimum ({bounds.Min}): {expression}";
        }

        if (end > bounds.Max)
        {
            return $"end of range ({end}) above maximum ({bounds.Max}): {expression}";
        }

        if (start > end)
        {
            return $"beginning of range ({start}) beyond end of range ({end}): {expression}";
        }

        if (step == 0)
        {
            return $"step of range should be a positive number: {expression}";
        }

        bits = Bits(start, end, step) | extra;
        return null;
    }

    private static string? IntOrName(string text, Bounds bounds, out long value)
    {
        if (bounds.Names is not null && bounds.Names.TryGetValue(text.ToLowerInvariant(), out value))
        {
            return null;
        }

        return Integer(text, out value);
    }

    // strconv.Atoi, then the non-negative check.
    private static string? Integer(string text, out long value)
    {
        value = 0;
        var digits = text.StartsWith('+') || text.StartsWith('-') ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return $"failed to parse int from {text}: strconv.Atoi: parsing {GoQuote.Quote(text)}: invalid syntax";
        }

        var parsed = BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (parsed > long.MaxValue || parsed < long.MinValue)
        {
            return $"failed to parse int from {text}: strconv.Atoi: parsing {GoQuote.Quote(text)}: value out of range";
        }

        value = (long)parsed;
        return value < 0 ? $"negative number ({value}) not allowed: {text}" : null;
    }

    private sealed record Bounds(long Min, long Max, IReadOnlyDictionary<string, long>? Names);
}
