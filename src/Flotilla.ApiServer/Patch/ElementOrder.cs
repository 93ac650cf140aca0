namespace Flotilla.ApiServer.Patch;

/// <summary>
/// How a merged list is ordered (upstream's "preserve order in strategic merge patch"): items named by the patch
/// follow the patch (or its <c>$setElementOrder</c>), live-only items keep their live order, and the two are interleaved.
/// </summary>
internal static class ElementOrder
{
    /// <summary>
    /// Sorts <paramref name="patchItems"/> by <paramref name="patchOrder"/> and <paramref name="serverOnly"/> by
    /// <paramref name="serverOrder"/>, then interleaves them (upstream's <c>normalizeElementOrder</c>).
    /// </summary>
    public static List<object?> Normalize(
        List<object?> patchItems,
        List<object?> serverOnly,
        List<object?> patchOrder,
        List<object?> serverOrder,
        string mergeKey,
        string kind)
    {
        var sortedPatch = SortBy(patchItems, patchOrder, mergeKey, kind);
        var sortedServer = SortBy(serverOnly, serverOrder, mergeKey, kind);
        return Interleave(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
    }

    /// <summary>Splits primitives into those present in <paramref name="by"/> and the rest.</summary>
    public static (List<object?> Present, List<object?> Absent) PartitionPrimitives(List<object?> items, List<object?> by)
    {
        var present = new List<object?>();
        var absent = new List<object?>();
        foreach (var item in items)
        {
            (by.Any(b => JsonTree.ScalarEquals(b, item)) ? present : absent).Add(item);
        }

        return (present, absent);
    }

    /// <summary>Splits maps into those whose merge key appears in <paramref name="by"/> and the rest.</summary>
    public static (List<object?> Present, List<object?> Absent) PartitionMaps(List<object?> items, List<object?> by, string mergeKey)
    {
        var present = new List<object?>();
        var absent = new List<object?>();
        foreach (var item in items)
        {
            var value = MergeKeyValue(item, mergeKey);
            (StrategicListMerger.FindByKey(by, mergeKey, value) >= 0 ? present : absent).Add(item);
        }

        return (present, absent);
    }

    /// <summary>
    /// The patch list must name its items in the same relative order as <c>$setElementOrder</c> and only items it
    /// names (deletions and directive items aside).
    /// </summary>
    public static void ValidatePatchWithSetOrderList(List<object?> patchList, List<object?> setOrder, string mergeKey)
    {
        if (setOrder.Count == 0 || patchList.Count == 0)
        {
            return;
        }

        var items = mergeKey.Length > 0 ? SplitDeletions(patchList).Keep : patchList;
        int patchIndex = 0, orderIndex = 0;
        while (patchIndex < items.Count && orderIndex < setOrder.Count)
        {
            if (items[patchIndex] is OrderedDictionary<string, object?> map && map.ContainsKey(StrategicDirective.Marker))
            {
                patchIndex++;
                continue;
            }

            if (MergeKeyValueEqual(items[patchIndex], setOrder[orderIndex], mergeKey))
            {
                patchIndex++;
            }

            orderIndex++;
        }

        if (patchIndex < items.Count && orderIndex >= setOrder.Count)
        {
            throw new PatchException(
                $"the order in patch list:\n{JsonTree.GoFormat(patchList)}\n doesn't match {StrategicDirective.SetElementOrderPrefix} list:\n{JsonTree.GoFormat(setOrder)}");
        }
    }

    private static List<object?> SortBy(List<object?> items, List<object?> order, string mergeKey, string kind)
    {
        var deletions = new List<object?>();
        if (kind == "map")
        {
            // Every item on both sides must carry the merge key (upstream's validateMergeKeyInLists).
            foreach (var item in items.Concat(order))
            {
                MergeKeyValue(item, mergeKey);
            }

            (items, deletions) = SplitDeletions(items);
        }

        // Stable: items the order does not name keep their relative place after those it does.
        var sorted = items
            .Select((item, position) => (item, position, rank: IndexOf(order, item, mergeKey, kind)))
            .OrderBy(x => x.rank < 0 ? int.MaxValue : x.rank)
            .ThenBy(x => x.position)
            .Select(x => x.item)
            .ToList();
        sorted.AddRange(deletions);
        return sorted;
    }

    // Upstream's mergeSortedSlice: walks both lists, taking a live-only item first only when the live order puts it
    // before the next patch item; so patch items the live list lacks come before the remaining live-only items.
    private static List<object?> Interleave(List<object?> left, List<object?> right, List<object?> serverOrder, string mergeKey, string kind)
    {
        var result = new List<object?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count)
            {
                result.Add(right[j++]);
            }
            else if (j >= right.Count)
            {
                result.Add(left[i++]);
            }
            else
            {
                var li = IndexOf(serverOrder, left[i], mergeKey, kind);
                var ri = IndexOf(serverOrder, right[j], mergeKey, kind);
                result.Add(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
            }
        }

        return result;
    }

    private static int IndexOf(List<object?> list, object? item, string mergeKey, string kind)
    {
        var value = kind == "map" ? KeyOrNull(item, mergeKey) : item;
        for (var i = 0; i < list.Count; i++)
        {
            var candidate = kind == "map" ? KeyOrNull(list[i], mergeKey) : list[i];
            if (JsonTree.ScalarEquals(candidate, value))
            {
                return i;
            }
        }

        return -1;
    }

    private static object? KeyOrNull(object? item, string mergeKey) =>
        item is OrderedDictionary<string, object?> map && map.TryGetValue(mergeKey, out var value) ? value : null;

    private static (List<object?> Keep, List<object?> Delete) SplitDeletions(List<object?> items)
    {
        var keep = new List<object?>();
        var delete = new List<object?>();
        foreach (var item in items)
        {
            if (item is not OrderedDictionary<string, object?> map)
            {
                throw StrategicMergeErrors.BadArgType("map", item);
            }

            var isDelete = map.TryGetValue(StrategicDirective.Marker, out var directive) && JsonTree.IsString(directive, StrategicDirective.Delete);
            (isDelete ? delete : keep).Add(item);
        }

        return (keep, delete);
    }

    private static bool MergeKeyValueEqual(object? left, object? right, string mergeKey) =>
        mergeKey.Length == 0
            ? JsonTree.ScalarEquals(left, right)
            : JsonTree.ScalarEquals(MergeKeyValue(left, mergeKey), MergeKeyValue(right, mergeKey));

    private static object? MergeKeyValue(object? item, string mergeKey)
    {
        if (item is not OrderedDictionary<string, object?> map)
        {
            throw StrategicMergeErrors.BadArgType("map", item);
        }

        return map.TryGetValue(mergeKey, out var value) ? value : throw StrategicMergeErrors.NoMergeKey(map, mergeKey);
    }
}
