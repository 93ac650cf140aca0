namespace Flotilla.Api.Selectors;

/// <summary>
/// Upstream's label selector lexer. A NUL character reads as the end of input, as in upstream (which reads
/// byte 0 as its end marker), so a selector containing one parses exactly as kube-apiserver parses it.
/// </summary>
internal sealed class LabelSelectorLexer(string input)
{
    private static readonly Dictionary<string, LabelToken> Literals = new(StringComparer.Ordinal)
    {
        [")"] = LabelToken.ClosedParenthesis,
        [","] = LabelToken.Comma,
        ["!"] = LabelToken.DoesNotExist,
        ["=="] = LabelToken.DoubleEquals,
        ["="] = LabelToken.Equals,
        [">"] = LabelToken.GreaterThan,
        ["in"] = LabelToken.In,
        ["<"] = LabelToken.LessThan,
        ["!="] = LabelToken.NotEquals,
        ["notin"] = LabelToken.NotIn,
        ["("] = LabelToken.OpenParenthesis,
    };

    private int _position;

    public (LabelToken Token, string Literal) Lex()
    {
        var c = Read();
        while (IsWhitespace(c))
        {
            c = Read();
        }

        if (c == '\0')
        {
            return (LabelToken.EndOfString, string.Empty);
        }

        _position--;
        return IsSpecial(c) ? ScanSpecialSymbol() : ScanIdentifierOrKeyword();
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    private char Read() => _position < input.Length ? input[_position++] : '\0';

    private (LabelToken, string) ScanIdentifierOrKeyword()
    {
        var start = _position;
        while (true)
        {
            var c = Read();
            if (c == '\0')
            {
                break;
            }

            if (IsSpecial(c) || IsWhitespace(c))
            {
                _position--;
                break;
            }
        }

        // A NUL ends the identifier but is consumed with it, as upstream's read() consumes it.
        var literal = input[start.._position].TrimEnd('\0');
        return (Literals.GetValueOrDefault(literal, LabelToken.Identifier), literal);
    }

    // The longest run of special characters that is still an operator: "!=" rather than "!" then "=".
    private (LabelToken, string) ScanSpecialSymbol()
    {
        var start = _position;
        (LabelToken Token, string Literal)? last = null;
        while (true)
        {
            var c = Read();
            if (c == '\0')
            {
                break;
            }

            if (!IsSpecial(c))
            {
                _position--;
                break;
            }

            var buffer = input[start.._position];
            if (Literals.TryGetValue(buffer, out var token))
            {
                last = (token, buffer);
            }
            else if (last is not null)
            {
                _position--;
                break;
            }
        }

        return last ?? (LabelToken.Error, $"error expected: keyword found '{input[start.._position]}'");
    }
}
