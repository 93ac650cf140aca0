namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Upstream's wording helpers for check details.</summary>
public static class CheckText
{
    /// <summary><c>"a", "b"</c>; nothing for no items. Values are not escaped, as upstream does not escape them.</summary>
    public static string JoinQuote(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        return list.Count == 0 ? string.Empty : "\"" + string.Join("\", \"", list) + "\"";
    }

    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary><c>container "a"</c> or <c>containers "a", "b"</c>.</summary>
    public static string Containers(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";
    }

    /// <summary>A sorted, de-duplicated set as upstream's sets.String.List() gives it (byte order).</summary>
    public static SortedSet<string> NewSet() => new(StringComparer.Ordinal);
}
