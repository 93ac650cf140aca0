namespace Flotilla.ApiServer.Patch;

/// <summary>
/// The patch metadata upstream declares on one Go struct field: the <c>patchStrategy</c> and <c>patchMergeKey</c> tags
/// and the <c>+listType</c>/<c>+listMapKey</c> markers.
/// </summary>
public sealed record PatchTag(
    PatchStrategy Strategy = PatchStrategy.None,
    string? MergeKey = null,
    ListType? ListType = null,
    IReadOnlyList<string>? ListMapKeys = null)
{
    public static PatchTag None { get; } = new();

    /// <summary><c>+listType=atomic</c>: the list is replaced whole.</summary>
    public static PatchTag Atomic { get; } = new(ListType: Patch.ListType.Atomic);

    /// <summary><c>patchStrategy:"merge"</c> on a list of primitives that is a <c>+listType=set</c> (finalizers).</summary>
    public static PatchTag MergeSet { get; } = new(PatchStrategy.Merge, ListType: Patch.ListType.Set);

    /// <summary>The usual pairing: merge by <paramref name="mergeKey"/>, a <c>+listType=map</c> keyed by it (and any further keys).</summary>
    public static PatchTag MergeMap(string mergeKey, params string[] moreMapKeys) =>
        new(PatchStrategy.Merge, mergeKey, Patch.ListType.Map, [mergeKey, .. moreMapKeys]);

    /// <summary>The tag text as <c>x-kubernetes-patch-strategy</c> carries it: <c>merge</c>, <c>retainKeys</c>, <c>merge,retainKeys</c>.</summary>
    public string? StrategyText
    {
        get
        {
            var parts = new List<string>(2);
            if (Strategy.HasFlag(PatchStrategy.Merge))
            {
                parts.Add("merge");
            }

            if (Strategy.HasFlag(PatchStrategy.Replace))
            {
                parts.Add("replace");
            }

            if (Strategy.HasFlag(PatchStrategy.RetainKeys))
            {
                parts.Add("retainKeys");
            }

            return parts.Count == 0 ? null : string.Join(',', parts);
        }
    }
}
