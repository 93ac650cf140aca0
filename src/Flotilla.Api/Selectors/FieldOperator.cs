namespace Flotilla.Api.Selectors;

/// <summary>The operators of a field requirement; <c>==</c> parses as <see cref="Equal"/>, as upstream.</summary>
public enum FieldOperator
{
    Equal,
    NotEqual,
}
