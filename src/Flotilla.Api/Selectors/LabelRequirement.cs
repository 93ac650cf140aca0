using System.Globalization;
using Flotilla.Api.Validation;

namespace Flotilla.Api.Selectors;

/// <summary>One term of a label selector: a key, an operator and its values (upstream labels.Requirement).</summary>
public sealed class LabelRequirement
{
    private readonly string[] _values;

    private LabelRequirement(string key, LabelOperator op, string[] values)
    {
        Key = key;
        Operator = op;
        _values = values;
    }

    public string Key { get; }

    public LabelOperator Operator { get; }

    /// <summary>The values as given (a parsed selector's are sorted and distinct).</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>Upstream NewRequirement: validates the key, the value count for the operator, and each value.</summary>
    /// <exception cref="LabelSelectorException">Upstream's aggregated field errors, e.g. <c>key: Invalid value: "a/b/c": ...</c>.</exception>
    public static LabelRequirement Create(string key, LabelOperator op, IEnumerable<string>? values = null)
    {
        string[] list = values is null ? [] : [.. values];
        var errors = Validate(key, op, list);
        if (errors.Count > 0)
        {
            throw new LabelSelectorException(ErrorAggregate.Message(errors));
        }

        return new LabelRequirement(key, op, list);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        switch (Operator)
        {
            case LabelOperator.In or LabelOperator.Equal or LabelOperator.DoubleEqual:
                return has && _values.Contains(value);
            case LabelOperator.NotIn or LabelOperator.NotEqual:
                return !has || !_values.Contains(value);
            case LabelOperator.Exists:
                return has;
            case LabelOperator.DoesNotExist:
                return !has;
            default:
                // Gt/Lt: both sides must be integers; a label that is not one never matches.
                return has && _values.Length == 1
                    && TryParseInt64(value!, out var actual) && TryParseInt64(_values[0], out var bound)
                    && (Operator == LabelOperator.GreaterThan ? actual > bound : actual < bound);
        }
    }

    /// <summary>Upstream's canonical form: <c>!k</c>, <c>k</c>, <c>k=v</c>, <c>k in (a,b)</c> with values sorted.</summary>
    public override string ToString()
    {
        if (Operator == LabelOperator.DoesNotExist)
        {
            return "!" + Key;
        }

        if (Operator == LabelOperator.Exists)
        {
            return Key;
        }

        var values = _values.Length == 1 ? _values[0] : string.Join(",", _values.Order(StringComparer.Ordinal));
        return Operator switch
        {
            LabelOperator.In => $"{Key} in ({values})",
            LabelOperator.NotIn => $"{Key} notin ({values})",
            LabelOperator.Equal => $"{Key}={values}",
            LabelOperator.DoubleEqual => $"{Key}=={values}",
            LabelOperator.NotEqual => $"{Key}!={values}",
            LabelOperator.GreaterThan => $"{Key}>{values}",
            _ => $"{Key}<{values}",
        };
    }

    /// <summary>For the parser (which runs <see cref="Validate"/> itself, to word the error its way) and for unvalidated sets.</summary>
    internal static LabelRequirement CreateUnvalidated(string key, LabelOperator op, string[] values) => new(key, op, values);

    internal static List<FieldError> Validate(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        var errors = new List<FieldError>();
        var keyErrors = NameValidation.IsQualifiedName(key);
        if (keyErrors.Count > 0)
        {
            errors.Add(FieldError.Invalid("key", key, string.Join("; ", keyErrors)));
        }

        var rendered = new RenderedValue(GoFormat.JsonStrings(values));
        switch (op)
        {
            case LabelOperator.In or LabelOperator.NotIn when values.Count == 0:
                errors.Add(FieldError.Invalid("values", rendered, "for 'in', 'notin' operators, values set can't be empty"));
                break;
            case LabelOperator.Equal or LabelOperator.DoubleEqual or LabelOperator.NotEqual when values.Count != 1:
                errors.Add(FieldError.Invalid("values", rendered, "exact-match compatibility requires one single value"));
                break;
            case LabelOperator.Exists or LabelOperator.DoesNotExist when values.Count != 0:
                errors.Add(FieldError.Invalid("values", rendered, "values set must be empty for exists and does not exist"));
                break;
            case LabelOperator.GreaterThan or LabelOperator.LessThan:
                if (values.Count != 1)
                {
                    errors.Add(FieldError.Invalid("values", rendered, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }

                for (var i = 0; i < values.Count; i++)
                {
                    if (!TryParseInt64(values[i], out _))
                    {
                        errors.Add(FieldError.Invalid($"values[{i}]", values[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }

                break;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var valueErrors = NameValidation.IsValidLabelValue(values[i]);
            if (valueErrors.Count > 0)
            {
                errors.Add(FieldError.Invalid($"values[{i}][{key}]", values[i], string.Join("; ", valueErrors)));
            }
        }

        return errors;
    }

    // Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else.
    private static bool TryParseInt64(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
