using System.Text;

namespace Flotilla.Api.Selectors;

/// <summary>
/// Upstream's field selector syntax: terms split on unescaped commas and sorted, each split at the first
/// <c>!=</c>, <c>==</c> or <c>=</c>; the field is taken literally, the value unescaped (<c>\\</c>, <c>\,</c>, <c>\=</c>).
/// </summary>
internal static class FieldSelectorParser
{
    private static readonly (string Symbol, FieldOperator Operator)[] Operators =
        [("!=", FieldOperator.NotEqual), ("==", FieldOperator.Equal), ("=", FieldOperator.Equal)];

    /// <exception cref="FieldSelectorException">With upstream's message.</exception>
    public static List<FieldRequirement> Parse(string selector)
    {
        var terms = SplitTerms(selector);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms)
        {
            if (term.Length == 0)
            {
                continue;
            }

            if (!TrySplitTerm(term, out var field, out var op, out var rawValue))
            {
                throw new FieldSelectorException($"invalid selector: '{selector}'; can't understand '{term}'");
            }

            requirements.Add(new FieldRequirement(field, op, Unescape(rawValue)));
        }

        return requirements;
    }

    /// <summary>The value of a term, unescaped; upstream rejects unknown escapes and bare ',' or '='.</summary>
    public static string Unescape(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        var inSlash = false;
        foreach (var rune in value.EnumerateRunes())
        {
            if (inSlash)
            {
                if (rune.Value is not ('\\' or ',' or '='))
                {
                    throw new FieldSelectorException($"invalid field selector: invalid escape sequence: \\{rune}");
                }

                text.Append(rune.ToString());
                inSlash = false;
                continue;
            }

            switch (rune.Value)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',' or '=':
                    // Upstream prints the rune with %v, which is its code point: 44 for ',', 61 for '='.
                    throw new FieldSelectorException($"invalid field selector: unescaped character in value: {rune.Value}");
                default:
                    text.Append(rune.ToString());
                    break;
            }
        }

        if (inSlash)
        {
            throw new FieldSelectorException("invalid field selector: invalid escape sequence: \\");
        }

        return text.ToString();
    }

    // Splits on commas not escaped by a backslash; the backslashes stay in the terms.
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (c == '\\')
            {
                inSlash = true;
            }
            else if (c == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }

        terms.Add(selector[start..]);
        return terms;
    }

    private static bool TrySplitTerm(string term, out string field, out FieldOperator op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            // "!=" then "==" then "=" at each position, so "a==b" is not the field "a" with the value "=b".
            foreach (var (symbol, symbolOp) in Operators)
            {
                if (term.AsSpan(i).StartsWith(symbol, StringComparison.Ordinal))
                {
                    field = term[..i];
                    op = symbolOp;
                    value = term[(i + symbol.Length)..];
                    return true;
                }
            }
        }

        field = value = string.Empty;
        op = FieldOperator.Equal;
        return false;
    }
}
