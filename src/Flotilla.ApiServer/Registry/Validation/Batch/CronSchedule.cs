using Flotilla.Api.Serialization;
using System.Globalization;
using System.Numerics;

namespace Flotilla.ApiServer.Registry.Validation.Batch;

/// <summary>
/// The schedule syntax of robfig/cron v3's ParseStandard, which upstream's CronJob validation uses: five fields
/// (minute hour day-of-month month day-of-week) with ranges, steps, lists and names, the <c>@hourly</c>-style
/// descriptors, <c>@every &lt;duration&gt;</c>, and an optional <c>TZ=</c>/<c>CRON_TZ=</c> prefix. Errors are
/// worded as robfig/cron words them.
/// </summary>
public static class CronSchedule
{
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

    /// <summary>Null when <paramref name="spec"/> parses; otherwise robfig/cron's error text.</summary>
    public static string? Parse(string spec)
    {
        if (spec.Length == 0)
        {
            return "empty spec string";
        }

        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            var zone = space < 0 ? spec[(equals + 1)..] : spec[(equals + 1)..space];

            // A zone with nothing after it is no schedule (robfig/cron would fail slicing it).
            var zoneError = space < 0 ? "unknown time zone " + zone : TimeZones.LoadError(zone);
            if (zoneError is not null)
            {
                return $"provided bad location {zone}: {zoneError}";
            }

            spec = spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            return Descriptor(spec);
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]";
        }

        Bounds[] bounds = [Minutes, Hours, DaysOfMonth, Months, DaysOfWeek];
        for (var i = 0; i < fields.Length; i++)
        {
            if (Field(fields[i], bounds[i]) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Descriptor(string spec)
    {
        if (Descriptors.Contains(spec))
        {
            return null;
        }

        const string every = "@every ";
        if (spec.StartsWith(every, StringComparison.Ordinal))
        {
            return GoDuration.ParseError(spec[every.Length..]) is { } error ? $"failed to parse duration {spec}: {error}" : null;
        }

        return $"unrecognized descriptor: {spec}";
    }

    private static string? Field(string field, Bounds bounds)
    {
        foreach (var expression in field.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Range(expression, bounds) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Range(string expression, Bounds bounds)
    {
        var rangeAndStep = expression.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        long start, end;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end) = (bounds.Min, bounds.Max);
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

                // "N/step" means "N-max/step".
                if (lowAndHigh.Length == 1)
                {
                    end = bounds.Max;
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

        return step == 0 ? $"step of range should be a positive number: {expression}" : null;
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
