namespace Flotilla.Api.Selectors;

/// <summary>The operators of a label requirement (upstream selection.Operator); Equal and DoubleEqual only print differently.</summary>
public enum LabelOperator
{
    In,
    NotIn,
    Equal,
    DoubleEqual,
    NotEqual,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
