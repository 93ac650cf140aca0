namespace Flotilla.Api.Selectors;

/// <summary>Label maps compared as upstream's labels.Equals does: a missing map and an empty one are the same set.</summary>
public static class LabelSets
{
    public static bool Equal(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var value) && value == kv.Value));
}
