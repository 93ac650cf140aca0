namespace Flotilla.ApiServer.Printing;

/// <summary>core helper <c>GetAccessModesAsString</c>: the modes present, short-named, in a fixed order.</summary>
internal static class AccessModes
{
    private static readonly (string Mode, string Short)[] Order =
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ];

    public static string Format(IEnumerable<string>? modes)
    {
        var present = modes?.ToHashSet(StringComparer.Ordinal) ?? [];
        return string.Join(',', Order.Where(o => present.Contains(o.Mode)).Select(o => o.Short));
    }
}
