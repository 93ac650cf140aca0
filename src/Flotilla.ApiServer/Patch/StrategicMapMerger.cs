namespace Flotilla.ApiServer.Patch;

/// <summary>
/// The map half of kube-apiserver's strategic merge (apimachinery strategicpatch's <c>mergeMap</c>, server side:
/// parallel lists are merged and unmatched nulls ignored). Works in place on <see cref="JsonTree"/> values.
/// </summary>
internal static class StrategicMapMerger
{
    public static OrderedDictionary<string, object?> Merge(
        OrderedDictionary<string, object?>? original,
        OrderedDictionary<string, object?> patch,
        PatchSchema schema)
    {
        if (patch.TryGetValue(StrategicDirective.Marker, out var directive))
        {
            return ApplyMapDirective(directive, patch);
        }

        original ??= new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        ApplyRetainKeys(original, patch);
        MergeOrderedLists(original, patch, schema);

        foreach (var (patchKey, patchValue) in patch)
        {
            var key = patchKey;
            var isDeleteList = patchKey.StartsWith(StrategicDirective.DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);
            if (isDeleteList)
            {
                key = StrategicDirective.ExtractKey(patchKey, StrategicDirective.DeleteFromPrimitiveListPrefix);
            }

            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }

            if (!original.TryGetValue(key, out var originalValue) || JsonTree.KindOf(originalValue) != JsonTree.KindOf(patchValue))
            {
                // Nothing to merge with: the patch value is taken (less nulls and directives); a deletion list has nothing to delete.
                if (!isDeleteList)
                {
                    SetNew(original, key, patchValue);
                }

                continue;
            }

            switch (originalValue)
            {
                case OrderedDictionary<string, object?> originalMap:
                    var (mapSchema, mapTag) = schema.ForMap(key);
                    original[key] = mapTag.Strategy.HasFlag(PatchStrategy.Replace)
                        ? patchValue
                        : Merge(originalMap, (OrderedDictionary<string, object?>)patchValue, mapSchema);
                    break;
                case List<object?> originalList:
                    var (itemSchema, listTag) = schema.ForList(key);
                    // A deletion list deletes whatever the field's strategy (as newer apimachinery does).
                    original[key] = listTag.Strategy.HasFlag(PatchStrategy.Merge) || isDeleteList
                        ? StrategicListMerger.Merge(originalList, (List<object?>)patchValue, itemSchema, listTag.MergeKey ?? string.Empty, isDeleteList)
                        : patchValue;
                    break;
                default:
                    SetNew(original, key, patchValue);
                    break;
            }
        }

        return original;
    }

    private static void SetNew(OrderedDictionary<string, object?> original, string key, object? patchValue)
    {
        var (value, keep) = NewSubtree.Clean(patchValue);
        if (keep)
        {
            original[key] = value;
        }
        else
        {
            original.Remove(key);
        }
    }

    // $patch in a map: replace takes the patch as the new map, delete empties it; upstream knows no other.
    private static OrderedDictionary<string, object?> ApplyMapDirective(object? directive, OrderedDictionary<string, object?> patch)
    {
        if (JsonTree.IsString(directive, StrategicDirective.Replace))
        {
            patch.Remove(StrategicDirective.Marker);
            return patch;
        }

        if (JsonTree.IsString(directive, StrategicDirective.Delete))
        {
            return new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        }

        throw StrategicMergeErrors.BadPatchType(directive, patch);
    }

    // $retainKeys clears every key of the live map it does not list; the patch may set only listed keys.
    private static void ApplyRetainKeys(OrderedDictionary<string, object?> original, OrderedDictionary<string, object?> patch)
    {
        if (!patch.Remove(StrategicDirective.RetainKeys, out var retain))
        {
            return;
        }

        if (retain is not List<object?> retained)
        {
            throw new PatchException(StrategicMergeErrors.BadPatchFormatForRetainKeys);
        }

        bool IsRetained(string key) => retained.Any(r => JsonTree.IsString(r, key));
        foreach (var (key, value) in patch)
        {
            if (value is not null && !StrategicDirective.IsParallelList(key) && !IsRetained(key))
            {
                throw new PatchException(StrategicMergeErrors.BadPatchFormatForRetainKeys);
            }
        }

        foreach (var key in original.Keys.Where(k => !IsRetained(k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>
    /// <c>$setElementOrder/&lt;field&gt;</c>: merges the field's patch list now and orders the result — patch items by the
    /// directive, live-only items by their live order, interleaved (upstream's <c>mergePatchIntoOriginal</c>).
    /// </summary>
    private static void MergeOrderedLists(OrderedDictionary<string, object?> original, OrderedDictionary<string, object?> patch, PatchSchema schema)
    {
        foreach (var directiveKey in patch.Keys.Where(k => k.StartsWith(StrategicDirective.SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            patch.Remove(directiveKey, out var orderValue);
            if (orderValue is not List<object?> order)
            {
                throw StrategicMergeErrors.BadArgType("slice", orderValue);
            }

            var key = StrategicDirective.ExtractKey(directiveKey, StrategicDirective.SetElementOrderPrefix);
            var originalList = ListOrNull(original, key);
            var patchList = ListOrNull(patch, key);
            var (itemSchema, tag) = schema.ForList(key);
            var mergeKey = tag.MergeKey ?? string.Empty;
            ElementOrder.ValidatePatchWithSetOrderList(patchList ?? [], order, mergeKey);

            List<object?> merged;
            if (originalList is not null && patchList is null)
            {
                merged = originalList;
            }
            else if (originalList is null && patchList is not null)
            {
                merged = (List<object?>)NewSubtree.Clean(patchList).Value!;
            }
            else if (originalList is not null && patchList is not null)
            {
                merged = tag.Strategy.HasFlag(PatchStrategy.Merge)
                    ? StrategicListMerger.Merge(originalList, patchList, itemSchema, mergeKey, isDeleteList: false)
                    : patchList;
            }
            else
            {
                continue;
            }

            var (patchItems, serverOnly) = mergeKey.Length == 0
                ? ElementOrder.PartitionPrimitives(merged, order)
                : ElementOrder.PartitionMaps(merged, order, mergeKey);
            var kind = StrategicListMerger.ElementKind(originalList ?? [], patchList ?? []);
            original[key] = ElementOrder.Normalize(patchItems, serverOnly, order, originalList ?? [], mergeKey, kind);
            patch.Remove(key);
        }
    }

    private static List<object?>? ListOrNull(OrderedDictionary<string, object?> map, string key)
    {
        if (!map.TryGetValue(key, out var value))
        {
            return null;
        }

        return value as List<object?> ?? throw StrategicMergeErrors.BadArgType("slice", value);
    }
}
