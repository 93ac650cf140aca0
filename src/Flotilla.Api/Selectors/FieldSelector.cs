using System.Diagnostics.CodeAnalysis;

namespace Flotilla.Api.Selectors;

/// <summary>
/// A field selector: the AND of <c>field=value</c> / <c>field!=value</c> terms, in the sorted order upstream
/// parses them into (upstream fields.Selector). Immutable. Which fields a kind supports is <see cref="FieldSets"/>' job.
/// </summary>
public sealed class FieldSelector
{
    private readonly FieldRequirement[] _requirements;

    internal FieldSelector(IEnumerable<FieldRequirement> requirements)
    {
        // As upstream's Transform: a term with neither field nor value ("=") is dropped.
        _requirements = [.. requirements.Where(r => r.Field.Length > 0 || r.Value.Length > 0)];
    }

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements => _requirements;

    public bool IsEmpty => _requirements.Length == 0;

    /// <summary>Parses the <c>fieldSelector</c> query syntax; null or empty is <see cref="Everything"/>.</summary>
    /// <exception cref="FieldSelectorException">With upstream's message, e.g. <c>invalid selector: 'x'; can't understand 'x'</c>.</exception>
    public static FieldSelector Parse(string? selector) =>
        string.IsNullOrEmpty(selector) ? Everything : new FieldSelector(FieldSelectorParser.Parse(selector));

    public static bool TryParse(string? selector, [NotNullWhen(true)] out FieldSelector? result, [NotNullWhen(false)] out string? error)
    {
        try
        {
            result = Parse(selector);
            error = null;
            return true;
        }
        catch (FieldSelectorException e)
        {
            result = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Escapes a literal value for use in a selector: <c>\</c>, <c>,</c> and <c>=</c> get a backslash.</summary>
    public static string EscapeValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("=", "\\=", StringComparison.Ordinal);

    /// <exception cref="FieldSelectorException">An unknown escape or an unescaped <c>,</c> or <c>=</c>.</exception>
    public static string UnescapeValue(string value) => FieldSelectorParser.Unescape(value);

    /// <summary>Fields the object lacks read as the empty string, so <c>spec.nodeName=</c> selects unscheduled pods.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(fields))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Upstream RequiresExactMatch: the value the selector pins <paramref name="field"/> to with <c>=</c>, if any
    /// (what lets a store use an index, or a watch target one object by <c>metadata.name</c>).
    /// </summary>
    public bool TryGetExactMatch(string field, [NotNullWhen(true)] out string? value)
    {
        var match = _requirements.FirstOrDefault(r => r.Operator == FieldOperator.Equal && r.Field == field);
        value = match?.Value;
        return match is not null;
    }

    /// <summary>The canonical form, values escaped: <c>a=x,b!=y</c>.</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));
}
