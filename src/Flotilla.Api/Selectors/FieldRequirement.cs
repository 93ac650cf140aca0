namespace Flotilla.Api.Selectors;

/// <summary>One term of a field selector: <c>field=value</c> or <c>field!=value</c>, the value unescaped.</summary>
public sealed record FieldRequirement(string Field, FieldOperator Operator, string Value)
{
    /// <summary>A field the object does not have reads as the empty string, as upstream's fields.Set.Get.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        var actual = fields.GetValueOrDefault(Field, string.Empty);
        return Operator == FieldOperator.Equal ? actual == Value : actual != Value;
    }

    public override string ToString() =>
        Field + (Operator == FieldOperator.Equal ? "=" : "!=") + FieldSelector.EscapeValue(Value);
}
