using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>The small FieldError builders upstream's validators share (ValidateNonnegativeField, ValidateImmutableField, ...).</summary>
public static class FieldChecks
{
    public static IEnumerable<FieldError> NonNegative(long? value, FieldPath path) =>
        value is < 0 ? [FieldError.Invalid(path, value.Value, ValidationText.IsNegative)] : [];

    /// <summary>Upstream ValidateImmutableField: <c>Invalid value: &lt;new&gt;: field is immutable</c> when the value changed.</summary>
    public static IEnumerable<FieldError> Immutable(object? value, object? old, FieldPath path, object? printed = null) =>
        ModelJson.SemanticEqual(value, old) ? [] : [FieldError.Invalid(path, printed ?? value ?? GoValue.Null, ValidationText.FieldImmutable)];

    public static IEnumerable<FieldError> Dns1123Label(string value, FieldPath path) =>
        NameValidation.IsDns1123Label(value).Select(m => FieldError.Invalid(path, value, m));

    public static IEnumerable<FieldError> Dns1123Subdomain(string value, FieldPath path) =>
        NameValidation.IsDns1123Subdomain(value).Select(m => FieldError.Invalid(path, value, m));

    public static IEnumerable<FieldError> QualifiedName(string value, FieldPath path) =>
        NameValidation.IsQualifiedName(value).Select(m => FieldError.Invalid(path, value, m));

    /// <summary>A name checked with one of the object-name rules (NameIsDNSSubdomain, ...), as a reference to another object.</summary>
    public static IEnumerable<FieldError> Name(string value, NameValidator validate, FieldPath path) =>
        validate(value, false).Select(m => FieldError.Invalid(path, value, m));

    public static IEnumerable<FieldError> Labels(IDictionary<string, string>? labels, FieldPath path) =>
        ObjectMetaValidation.ValidateLabels(labels, path);

    public static IEnumerable<FieldError> Annotations(IDictionary<string, string>? annotations, FieldPath path) =>
        ObjectMetaValidation.ValidateAnnotations(annotations, path);

    public static FieldError NotFound(FieldPath path, object? value) => new(FieldErrorType.NotFound, path, value ?? string.Empty, string.Empty);

    public static FieldError TooMany(FieldPath path, int actual, int max) =>
        new(FieldErrorType.TooMany, path, actual, $"must have at most {max} items");

    /// <summary>Upstream ValidateHasLabel: the template must carry <paramref name="key"/>=<paramref name="expected"/>.</summary>
    public static IEnumerable<FieldError> HasLabel(IDictionary<string, string>? labels, FieldPath metadataPath, string key, string expected)
    {
        if (labels is null || !labels.TryGetValue(key, out var actual))
        {
            return [FieldError.Required(metadataPath.Child("labels").Key(key), $"must be '{expected}'")];
        }

        return actual == expected ? [] : [FieldError.Invalid(metadataPath.Child("labels").Key(key), GoSyntax.StringMap(labels), $"must be '{expected}'")];
    }
}
