namespace Flotilla.ApiServer.Patch;

/// <summary>
/// The list half of kube-apiserver's strategic merge (apimachinery strategicpatch's <c>mergeSlice</c>): lists of maps
/// merge item by item on the merge key, lists of primitives merge as sets, and the result is ordered patch-first.
/// </summary>
internal static class StrategicListMerger
{
    public static List<object?> Merge(List<object?> original, List<object?> patch, PatchSchema itemSchema, string mergeKey, bool isDeleteList)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var kind = ElementKind(original, patch);
        List<object?> merged;
        if (kind != "map")
        {
            if (isDeleteList)
            {
                return original.Where(item => !patch.Any(d => JsonTree.ScalarEquals(item, d))).ToList();
            }

            merged = Deduplicate([.. original, .. patch]);
        }
        else
        {
            if (mergeKey.Length == 0)
            {
                throw new PatchException($"cannot merge lists without merge key for {itemSchema.Name}");
            }

            (original, patch) = ApplySpecialItems(original, patch, mergeKey);
            merged = MergeItems(original, patch, mergeKey, itemSchema);
        }

        var (patchItems, serverOnly) = mergeKey.Length == 0
            ? ElementOrder.PartitionPrimitives(merged, patch)
            : ElementOrder.PartitionMaps(merged, patch, mergeKey);
        return ElementOrder.Normalize(patchItems, serverOnly, patch, original, mergeKey, kind);
    }

    /// <summary>The one kind all items share (upstream's <c>sliceElementType</c>); lists of lists and mixed lists are refused.</summary>
    public static string ElementKind(params List<object?>[] lists)
    {
        string? kind = null;
        foreach (var item in lists.SelectMany(l => l))
        {
            var current = JsonTree.KindOf(item);
            if (kind is null)
            {
                kind = current;
                if (kind == "slice")
                {
                    throw new PatchException(StrategicMergeErrors.NoListOfLists);
                }
            }
            else if (kind != current)
            {
                throw new PatchException($"list element types are not identical: {JsonTree.GoFormat(lists.Cast<object?>().ToList())}");
            }
        }

        return kind ?? throw new PatchException("no elements in any of the given slices");
    }

    /// <summary>
    /// Items carrying <c>$patch</c>: <c>delete</c> drops every live item with that key, <c>replace</c> makes the rest of
    /// the patch list the whole list. Returns the live list to merge into and the patch without those items.
    /// </summary>
    private static (List<object?> Original, List<object?> Patch) ApplySpecialItems(List<object?> original, List<object?> patch, string mergeKey)
    {
        var plain = new List<object?>(patch.Count);
        var replace = false;
        foreach (var item in patch)
        {
            var map = (OrderedDictionary<string, object?>)item!;
            if (!map.TryGetValue(StrategicDirective.Marker, out var directive))
            {
                plain.Add(item);
            }
            else if (JsonTree.IsString(directive, StrategicDirective.Delete))
            {
                if (!map.TryGetValue(mergeKey, out var keyValue))
                {
                    throw StrategicMergeErrors.NoMergeKey(map, mergeKey);
                }

                // Every live item with the key goes, duplicates included.
                for (var index = FindByKey(original, mergeKey, keyValue); index >= 0; index = FindByKey(original, mergeKey, keyValue))
                {
                    original.RemoveAt(index);
                }
            }
            else if (JsonTree.IsString(directive, StrategicDirective.Replace))
            {
                replace = true;
            }
            else if (JsonTree.IsString(directive, StrategicDirective.Merge))
            {
                throw new PatchException("merging lists cannot yet be specified in the patch");
            }
            else
            {
                throw StrategicMergeErrors.BadPatchType(directive, map);
            }
        }

        return replace ? (plain, []) : (original, plain);
    }

    // Each patch item merges into the live item with the same merge key value, or is appended. A new list: the live
    // list stays as it was, since it is the order live-only items keep.
    private static List<object?> MergeItems(List<object?> original, List<object?> patch, string mergeKey, PatchSchema itemSchema)
    {
        var merged = new List<object?>(original);
        foreach (var item in patch)
        {
            var map = (OrderedDictionary<string, object?>)item!;
            if (!map.TryGetValue(mergeKey, out var keyValue))
            {
                throw StrategicMergeErrors.NoMergeKey(map, mergeKey);
            }

            var index = FindByKey(merged, mergeKey, keyValue);
            if (index >= 0)
            {
                merged[index] = StrategicMapMerger.Merge((OrderedDictionary<string, object?>)merged[index]!, map, itemSchema);
            }
            else
            {
                merged.Add(item);
            }
        }

        return merged;
    }

    /// <summary>Index of the first map whose <paramref name="mergeKey"/> equals <paramref name="value"/>; -1 if none.</summary>
    public static int FindByKey(List<object?> list, string mergeKey, object? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not OrderedDictionary<string, object?>)
            {
                throw new PatchException($"value for key {i} is not a map");
            }

            if (Matches(list[i], mergeKey, value))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Matches(object? item, string mergeKey, object? value) =>
        item is OrderedDictionary<string, object?> map && map.TryGetValue(mergeKey, out var itemValue) && JsonTree.ScalarEquals(itemValue, value);

    private static List<object?> Deduplicate(List<object?> items)
    {
        var unique = new List<object?>(items.Count);
        foreach (var item in items)
        {
            if (!unique.Any(u => JsonTree.ScalarEquals(u, item)))
            {
                unique.Add(item);
            }
        }

        return unique;
    }
}
