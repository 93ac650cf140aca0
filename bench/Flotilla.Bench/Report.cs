using System.Globalization;
using System.Text.Json;

namespace Flotilla.Bench;

/// <summary>The benchmark output contract: a table for people, then a last line that is one JSON object of figures.</summary>
public sealed class Report
{
    private readonly List<(string Metric, string[] Cells)> _rows = [];
    private readonly Dictionary<string, object> _figures = [];

    public void Row(string metric, params string[] cells) => _rows.Add((metric, cells));

    /// <summary>The nearest-rank percentile of sorted values (0 for none).</summary>
    public static double Percentile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];
    }

    /// <summary>Adds a figure; keys are snake_case ending in their unit (<c>writes_per_s</c>, <c>p99_ms</c>, <c>ratio</c>).</summary>
    public void Figure(string key, double value) => _figures[key] = Math.Round(value, 3);

    public void Figure(string key, string value) => _figures[key] = value;

    public void Print(params string[] header)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i == 0 ? r.Metric.Length : r.Cells[i - 1].Length).DefaultIfEmpty(0).Max())).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        foreach (var (metric, cells) in _rows)
        {
            Console.WriteLine(string.Join("  ", new[] { metric }.Concat(cells).Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
        }

        Console.WriteLine(JsonSerializer.Serialize(_figures));
    }

    public static string Format(double value, string unit) => value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture) + " " + unit;
}
