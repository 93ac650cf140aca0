using Flotilla.Api.Validation;

namespace Flotilla.Api.Selectors;

/// <summary>
/// Upstream's recursive-descent label selector parser, error for error:
/// <code>
/// selector    ::= requirement | requirement "," selector
/// requirement ::= ["!"] KEY [ ("in" | "notin") "(" values ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
/// </code>
/// 'in' and 'notin' are keywords only where an operator may stand; as keys and values they are identifiers.
/// </summary>
internal sealed class LabelSelectorParser
{
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private readonly List<(LabelToken Token, string Literal)> _items = [];
    private int _position;

    private LabelSelectorParser(string input)
    {
        var lexer = new LabelSelectorLexer(input);
        while (true)
        {
            var item = lexer.Lex();
            _items.Add(item);
            if (item.Token == LabelToken.EndOfString)
            {
                break;
            }
        }
    }

    /// <exception cref="LabelSelectorException">The input is not a valid selector.</exception>
    public static List<LabelRequirement> Parse(string input) => new LabelSelectorParser(input).ParseSelector();

    private List<LabelRequirement> ParseSelector()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (token, literal) = Peek(asValue: true);
            switch (token)
            {
                case LabelToken.Identifier or LabelToken.DoesNotExist:
                    requirements.Add(ParseRequirementOrFail());
                    var (next, nextLiteral) = Next(asValue: true);
                    if (next == LabelToken.EndOfString)
                    {
                        return requirements;
                    }

                    if (next != LabelToken.Comma)
                    {
                        throw Error($"found '{nextLiteral}', expected: ',' or 'end of string'");
                    }

                    var (afterComma, afterCommaLiteral) = Peek(asValue: true);
                    if (afterComma is not (LabelToken.Identifier or LabelToken.DoesNotExist))
                    {
                        throw Error($"found '{afterCommaLiteral}', expected: identifier after ','");
                    }

                    break;
                case LabelToken.EndOfString:
                    return requirements;
                default:
                    throw Error($"found '{literal}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirementOrFail()
    {
        try
        {
            return ParseRequirement();
        }
        catch (LabelSelectorException e)
        {
            throw new LabelSelectorException("unable to parse requirement: " + e.Message, e);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, inferred) = ParseKeyAndInferOperator();
        if (inferred is LabelOperator op)
        {
            return Create(key, op, []);
        }

        op = ParseOperator();
        var values = op is LabelOperator.In or LabelOperator.NotIn ? ParseValues() : ParseExactValue();
        return Create(key, op, [.. values.Order(StringComparer.Ordinal)]);
    }

    // Exists when the key stands alone, DoesNotExist when it follows '!' (whatever comes after it).
    private (string Key, LabelOperator? Operator) ParseKeyAndInferOperator()
    {
        LabelOperator? op = null;
        var (token, literal) = Next(asValue: true);
        if (token == LabelToken.DoesNotExist)
        {
            op = LabelOperator.DoesNotExist;
            (token, literal) = Next(asValue: true);
        }

        if (token != LabelToken.Identifier)
        {
            throw Error($"found '{literal}', expected: identifier");
        }

        var keyErrors = NameValidation.IsQualifiedName(literal);
        if (keyErrors.Count > 0)
        {
            // Upstream validates the key here against a nil field path, which Go prints as "<nil>".
            throw Error(FieldError.Invalid("<nil>", literal, string.Join("; ", keyErrors)).ToString());
        }

        if (op is null && Peek(asValue: true).Token is LabelToken.EndOfString or LabelToken.Comma)
        {
            op = LabelOperator.Exists;
        }

        return (literal, op);
    }

    private LabelOperator ParseOperator()
    {
        var (token, literal) = Next(asValue: false);
        return token switch
        {
            LabelToken.In => LabelOperator.In,
            LabelToken.Equals => LabelOperator.Equal,
            LabelToken.DoubleEquals => LabelOperator.DoubleEqual,
            LabelToken.GreaterThan => LabelOperator.GreaterThan,
            LabelToken.LessThan => LabelOperator.LessThan,
            LabelToken.NotIn => LabelOperator.NotIn,
            LabelToken.NotEquals => LabelOperator.NotEqual,
            _ => throw Error($"found '{literal}', expected: {BinaryOperators}"),
        };
    }

    // "(a,b)"; empty entries are the empty value: "()", "(,a)" and "(a,)" all contain "".
    private HashSet<string> ParseValues()
    {
        var (token, literal) = Next(asValue: true);
        if (token != LabelToken.OpenParenthesis)
        {
            throw Error($"found '{literal}' expected: '('");
        }

        (token, literal) = Peek(asValue: true);
        switch (token)
        {
            case LabelToken.Identifier or LabelToken.Comma:
                var values = ParseIdentifierList();
                Next(asValue: true); // the ')' the list stopped at
                return values;
            case LabelToken.ClosedParenthesis:
                Next(asValue: true);
                return [string.Empty];
            default:
                throw Error($"found '{literal}', expected: ',', ')' or identifier");
        }
    }

    private HashSet<string> ParseIdentifierList()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (token, literal) = Next(asValue: true);
            switch (token)
            {
                case LabelToken.Identifier:
                    values.Add(literal);
                    var (next, nextLiteral) = Peek(asValue: true);
                    if (next == LabelToken.ClosedParenthesis)
                    {
                        return values;
                    }

                    if (next != LabelToken.Comma)
                    {
                        throw Error($"found '{nextLiteral}', expected: ',' or ')'");
                    }

                    break;
                case LabelToken.Comma:
                    if (values.Count == 0)
                    {
                        values.Add(string.Empty);
                    }

                    var afterComma = Peek(asValue: true).Token;
                    if (afterComma == LabelToken.ClosedParenthesis)
                    {
                        values.Add(string.Empty);
                        return values;
                    }

                    if (afterComma == LabelToken.Comma)
                    {
                        Next(asValue: true);
                        values.Add(string.Empty);
                    }

                    break;
                default:
                    throw Error($"found '{literal}', expected: ',', or identifier");
            }
        }
    }

    // "k=" and "k=," select the empty value.
    private HashSet<string> ParseExactValue()
    {
        if (Peek(asValue: true).Token is LabelToken.EndOfString or LabelToken.Comma)
        {
            return [string.Empty];
        }

        var (token, literal) = Next(asValue: true);
        if (token == LabelToken.Identifier)
        {
            return [literal];
        }

        throw Error($"found '{literal}', expected: identifier");
    }

    private static LabelRequirement Create(string key, LabelOperator op, string[] values)
    {
        var errors = LabelRequirement.Validate(key, op, values);
        if (errors.Count > 0)
        {
            throw Error(ErrorAggregate.Message(errors));
        }

        return LabelRequirement.CreateUnvalidated(key, op, values);
    }

    private static LabelSelectorException Error(string message) => new(message);

    private (LabelToken Token, string Literal) Peek(bool asValue) => AsValue(_items[_position], asValue);

    private (LabelToken Token, string Literal) Next(bool asValue) => AsValue(_items[_position++], asValue);

    // Where a key or value is expected, 'in' and 'notin' are plain identifiers.
    private static (LabelToken Token, string Literal) AsValue((LabelToken Token, string Literal) item, bool asValue) =>
        asValue && item.Token is LabelToken.In or LabelToken.NotIn ? (LabelToken.Identifier, item.Literal) : item;
}
