namespace Flotilla.ApiServer.Patch;

/// <summary>The <c>$</c>-keys a strategic merge patch may carry, as apimachinery's strategicpatch names them.</summary>
internal static class StrategicDirective
{
    /// <summary><c>$patch: replace|delete</c> in a map; <c>$patch: replace|delete</c> as a list item.</summary>
    public const string Marker = "$patch";

    public const string Delete = "delete";
    public const string Replace = "replace";
    public const string Merge = "merge";

    /// <summary>The keys of a <c>retainKeys</c> map to keep; others are cleared from the live map.</summary>
    public const string RetainKeys = "$retainKeys";

    /// <summary><c>$deleteFromPrimitiveList/&lt;field&gt;</c>: items to drop from a merging list of primitives.</summary>
    public const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

    /// <summary><c>$setElementOrder/&lt;field&gt;</c>: the order of a merging list after the patch (kubectl apply sends it).</summary>
    public const string SetElementOrderPrefix = "$setElementOrder";

    public static bool IsParallelList(string key) =>
        key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal);

    /// <summary>The field a parallel-list key names: <c>$setElementOrder/containers</c> → <c>containers</c>.</summary>
    public static string ExtractKey(string key, string prefix)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !key.AsSpan(0, slash).SequenceEqual(prefix))
        {
            throw prefix switch
            {
                DeleteFromPrimitiveListPrefix => new PatchException(StrategicMergeErrors.BadPatchFormatForPrimitiveList),
                _ => new PatchException(StrategicMergeErrors.BadPatchFormatForSetElementOrderList),
            };
        }

        return key[(slash + 1)..];
    }
}
