namespace Flotilla.Scheduler.Framework;

/// <summary>A PreFilter's narrowing of the candidate nodes (null <see cref="NodeNames"/>: all nodes).</summary>
public sealed record PreFilterResult(IReadOnlySet<string>? NodeNames)
{
    public bool AllNodes => NodeNames is null;

    /// <summary>The intersection of two results (upstream PreFilterResult.Merge).</summary>
    public PreFilterResult Merge(PreFilterResult? other)
    {
        if (other is null || other.AllNodes)
        {
            return this;
        }

        return AllNodes ? other : new PreFilterResult(NodeNames!.Intersect(other.NodeNames!, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));
    }
}
