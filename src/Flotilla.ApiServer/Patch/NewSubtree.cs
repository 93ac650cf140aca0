namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Cleans a patch value that lands where the live object has nothing to merge with (a new field, or a field
/// whose kind changes): as upstream, nested nulls are dropped and a map carrying <c>$patch</c> is dropped whole.
/// </summary>
internal static class NewSubtree
{
    /// <summary>The value to store, or <c>Keep = false</c> when the value itself was a <c>$patch</c> directive.</summary>
    public static (object? Value, bool Keep) Clean(object? patchValue)
    {
        DiscardNulls(patchValue);
        return RemoveDirectives(patchValue);
    }

    private static void DiscardNulls(object? value)
    {
        switch (value)
        {
            case OrderedDictionary<string, object?> map:
                foreach (var key in map.Keys.ToList())
                {
                    if (map[key] is null)
                    {
                        map.Remove(key);
                    }
                    else
                    {
                        DiscardNulls(map[key]);
                    }
                }

                break;
            case List<object?> list:
                list.ForEach(DiscardNulls);
                break;
        }
    }

    private static (object? Value, bool Keep) RemoveDirectives(object? value)
    {
        switch (value)
        {
            case OrderedDictionary<string, object?> map:
                if (map.ContainsKey(StrategicDirective.Marker))
                {
                    return (null, false);
                }

                foreach (var key in map.Keys.ToList())
                {
                    // Upstream leaves parallel lists and $retainKeys in new subtrees for the decoder to drop as unknown
                    // fields; with nothing to merge they mean nothing, so they go here.
                    if (key == StrategicDirective.RetainKeys || StrategicDirective.IsParallelList(key))
                    {
                        map.Remove(key);
                        continue;
                    }

                    var (child, keep) = RemoveDirectives(map[key]);
                    if (keep)
                    {
                        map[key] = child;
                    }
                    else
                    {
                        map.Remove(key);
                    }
                }

                return (map, true);
            case List<object?> list:
                var kept = new List<object?>(list.Count);
                foreach (var item in list)
                {
                    var (child, keep) = RemoveDirectives(item);
                    if (keep)
                    {
                        kept.Add(child);
                    }
                }

                return (kept, true);
            default:
                return (value, true);
        }
    }
}
