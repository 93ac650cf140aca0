namespace Flotilla.Storage;

/// <summary>
/// How to list: at <paramref name="Revision"/> (0 = latest), at most <paramref name="Limit"/> items (0 = all), starting
/// at key <paramref name="StartKey"/> inclusive (a previous page's <see cref="ListResult.NextKey"/>).
/// </summary>
public sealed record ListOptions(long Revision = 0, int Limit = 0, string? StartKey = null)
{
    public static ListOptions All { get; } = new();
}
