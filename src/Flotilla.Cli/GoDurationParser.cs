using System.Globalization;
using System.Text.RegularExpressions;

namespace Flotilla.Cli;

/// <summary>Durations written as Go's time.ParseDuration reads them (<c>24h</c>, <c>1h30m</c>, <c>90s</c>, <c>0</c>), as kubeadm's and k3s' flags take them.</summary>
public static partial class GoDurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var ticks = 0.0;
        for (var i = 0; i < match.Groups["value"].Captures.Count; i++)
        {
            var value = double.Parse(match.Groups["value"].Captures[i].Value, CultureInfo.InvariantCulture);
            ticks += value * match.Groups["unit"].Captures[i].Value switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                _ => 0.01,  // ns
            };
        }

        if (ticks >= TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    [GeneratedRegex(@"\A(?:(?<value>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?<unit>h|ms|m|s|us|µs|ns))+\z")]
    private static partial Regex Pattern();
}
