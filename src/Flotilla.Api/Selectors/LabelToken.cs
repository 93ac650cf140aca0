namespace Flotilla.Api.Selectors;

/// <summary>The tokens of the label selector grammar (upstream labels.Token).</summary>
internal enum LabelToken
{
    Error,
    EndOfString,
    ClosedParenthesis,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenParenthesis,
}
