namespace Flotilla.Storage;

/// <summary>
/// A page of keys consistent at <paramref name="Revision"/>. When more keys follow, <paramref name="NextKey"/> is where
/// the next page starts (list again at the same revision to get a consistent whole).
/// </summary>
public sealed record ListResult(IReadOnlyList<KeyValue> Items, long Revision, string? NextKey)
{
    public bool HasMore => NextKey is not null;
}
