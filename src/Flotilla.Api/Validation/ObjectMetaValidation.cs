using System.Text;

namespace Flotilla.Api.Validation;

/// <summary>
/// The metadata checks of upstream's apimachinery api/validation (ValidateObjectMeta's parts). Each takes the
/// field path to report (<c>metadata.labels</c>, <c>spec.template.metadata.labels</c>). Maps are checked in key
/// order, so the errors come out in a stable order where upstream's follow Go's random map order.
/// </summary>
public static class ObjectMetaValidation
{
    /// <summary>Keys plus values of all annotations, in bytes.</summary>
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;

    public const string FinalizerOrphanDependents = "orphan";

    public const string FinalizerDeleteDependents = "foregroundDeletion";

    public static List<FieldError> ValidateLabelName(string name, string fieldPath) =>
        [.. NameValidation.IsQualifiedName(name).Select(message => FieldError.Invalid(fieldPath, name, message))];

    public static List<FieldError> ValidateLabels(IEnumerable<KeyValuePair<string, string>>? labels, string fieldPath)
    {
        var errors = new List<FieldError>();
        foreach (var (key, value) in InKeyOrder(labels))
        {
            errors.AddRange(ValidateLabelName(key, fieldPath));
            errors.AddRange(NameValidation.IsValidLabelValue(value).Select(message => FieldError.Invalid(fieldPath, value, message)));
        }

        return errors;
    }

    public static List<FieldError> ValidateAnnotations(IEnumerable<KeyValuePair<string, string>>? annotations, string fieldPath)
    {
        var errors = new List<FieldError>();
        long totalBytes = 0;
        foreach (var (key, value) in InKeyOrder(annotations))
        {
            // As upstream: annotation keys are qualified names, except that case does not matter.
            errors.AddRange(NameValidation.IsQualifiedName(key.ToLowerInvariant()).Select(message => FieldError.Invalid(fieldPath, key, message)));
            totalBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        if (totalBytes > TotalAnnotationSizeLimitBytes)
        {
            errors.Add(FieldError.TooLong(fieldPath, TotalAnnotationSizeLimitBytes));
        }

        return errors;
    }

    /// <summary>metadata.name of an object being created (name generation, if any, has already run).</summary>
    public static List<FieldError> ValidateName(string? name, NameValidator validate, string fieldPath)
    {
        if (string.IsNullOrEmpty(name))
        {
            return [FieldError.Required(fieldPath, "name or generateName is required")];
        }

        return [.. validate(name, false).Select(message => FieldError.Invalid(fieldPath, name, message))];
    }

    /// <summary>metadata.generateName, checked as a prefix: it may end in '-'. Absent is valid.</summary>
    public static List<FieldError> ValidateGenerateName(string? generateName, NameValidator validate, string fieldPath)
    {
        if (string.IsNullOrEmpty(generateName))
        {
            return [];
        }

        return [.. validate(generateName, true).Select(message => FieldError.Invalid(fieldPath, generateName, message))];
    }

    /// <summary>metadata.namespace: required (a DNS label) for namespaced kinds, forbidden for cluster-scoped ones.</summary>
    public static List<FieldError> ValidateNamespace(string? ns, bool namespaced, string fieldPath)
    {
        if (!namespaced)
        {
            return string.IsNullOrEmpty(ns) ? [] : [FieldError.Forbidden(fieldPath, "not allowed on this type")];
        }

        if (string.IsNullOrEmpty(ns))
        {
            return [FieldError.Required(fieldPath)];
        }

        return [.. NameValidation.NameIsDnsLabel(ns, false).Select(message => FieldError.Invalid(fieldPath, ns, message))];
    }

    public static List<FieldError> ValidateFinalizers(IReadOnlyList<string>? finalizers, string fieldPath)
    {
        var errors = new List<FieldError>();
        if (finalizers is null)
        {
            return errors;
        }

        foreach (var finalizer in finalizers)
        {
            errors.AddRange(NameValidation.IsQualifiedName(finalizer).Select(message => FieldError.Invalid(fieldPath, finalizer, message)));
        }

        if (finalizers.Contains(FinalizerOrphanDependents) && finalizers.Contains(FinalizerDeleteDependents))
        {
            errors.Add(FieldError.Invalid(
                fieldPath,
                new RenderedValue(GoFormat.JsonStrings(finalizers)),
                $"finalizer {FinalizerOrphanDependents} and {FinalizerDeleteDependents} cannot be both set"));
        }

        return errors;
    }

    private static IEnumerable<KeyValuePair<string, string>> InKeyOrder(IEnumerable<KeyValuePair<string, string>>? pairs) =>
        pairs is null ? [] : pairs.OrderBy(p => p.Key, StringComparer.Ordinal);
}
