using System.Globalization;
using System.Text;

namespace Flotilla.Controllers.Job;

/// <summary>
/// A set of completion indexes as <c>status.completedIndexes</c> and <c>failedIndexes</c> write it (upstream's
/// orderedIntervals): <c>1,3-5,7</c> — a run of three or more as a range, shorter runs one by one.
/// </summary>
public sealed class IndexSet
{
    private readonly SortedSet<int> _indexes;

    private IndexSet(SortedSet<int> indexes) => _indexes = indexes;

    public int Count => _indexes.Count;

    public static IndexSet Empty() => new([]);

    public static IndexSet Of(IEnumerable<int> indexes) => new([.. indexes]);

    /// <summary>Parses what the status says, keeping what is below <paramref name="completions"/>; what is not a number is skipped.</summary>
    public static IndexSet Parse(string? text, int completions)
    {
        var set = new SortedSet<int>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            {
                continue;
            }

            var last = first;
            if (bounds.Length > 1 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            {
                continue;
            }

            for (var i = first; i <= last && i < completions; i++)
            {
                set.Add(i);
            }
        }

        return new IndexSet(set);
    }

    public bool Contains(int index) => _indexes.Contains(index);

    public IndexSet With(IEnumerable<int> more)
    {
        var set = new SortedSet<int>(_indexes);
        set.UnionWith(more);
        return new IndexSet(set);
    }

    public IEnumerable<int> All => _indexes;

    public override string ToString()
    {
        var text = new StringBuilder();
        using var e = _indexes.GetEnumerator();
        if (!e.MoveNext())
        {
            return string.Empty;
        }

        var (start, end) = (e.Current, e.Current);
        void Flush()
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(end - start >= 2
                ? string.Create(CultureInfo.InvariantCulture, $"{start}-{end}")
                : end == start ? start.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start},{end}"));
        }

        while (e.MoveNext())
        {
            if (e.Current == end + 1)
            {
                end = e.Current;
                continue;
            }

            Flush();
            (start, end) = (e.Current, e.Current);
        }

        Flush();
        return text.ToString();
    }
}
