namespace Flotilla.Api.Validation;

/// <summary>
/// One validation failure at a field path (<c>spec.containers[0].image</c>), printed as upstream's field.Error is:
/// <c>spec.containers[0].image: Required value</c>, <c>metadata.name: Invalid value: "A": a lowercase RFC 1123 ...</c>.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, object? BadValue, string Detail)
{
    /// <summary>The StatusCause reason: <c>FieldValueInvalid</c>, <c>FieldValueRequired</c>, ...</summary>
    public string Reason => Type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Internal => "InternalError",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => "FieldValueInvalid",
    };

    /// <summary>The error type's text as upstream prints it.</summary>
    public string TypeText => Type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.Internal => "Internal error",
        FieldErrorType.TypeInvalid => "Invalid value",
        _ => "Invalid value",
    };

    /// <summary>The message part after the field path (what StatusCause.message carries).</summary>
    public string Message
    {
        get
        {
            var omitValue = Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong or FieldErrorType.Internal;
            var text = omitValue || BadValue is null ? TypeText : $"{TypeText}: {FormatValue(BadValue)}";
            return string.IsNullOrEmpty(Detail) ? text : $"{text}: {Detail}";
        }
    }

    public override string ToString() => $"{Field}: {Message}";

    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);

    public static FieldError Invalid(string field, object? value, string detail) => new(FieldErrorType.Invalid, field, value, detail);

    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);

    public static FieldError Duplicate(string field, object? value) => new(FieldErrorType.Duplicate, field, value, string.Empty);

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, field, value, "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")));

    public static FieldError TooLong(string field, int max) =>
        new(FieldErrorType.TooLong, field, null, $"may not be more than {max} bytes");

    // Upstream prints strings as Go's %q and numbers/bools bare (%#v-like for the common cases).
    private static string FormatValue(object value) => value switch
    {
        string s => GoFormat.Quote(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
