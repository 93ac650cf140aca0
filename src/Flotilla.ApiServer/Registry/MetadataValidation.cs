using Flotilla.Api;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>ObjectMeta rules every kind shares (upstream's ValidateObjectMeta / ValidateObjectMetaUpdate).</summary>
public static class MetadataValidation
{
    public static IEnumerable<FieldError> Validate(V1ObjectMeta meta, bool namespaced, NameValidator validateName)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(validateName);
        var errors = new List<FieldError>();
        errors.AddRange(ObjectMetaValidation.ValidateGenerateName(meta.GenerateName, validateName, "metadata.generateName"));
        if (!string.IsNullOrEmpty(meta.Name))
        {
            // Names are URL path segments before anything else (rest.BeforeCreate).
            errors.AddRange(NameValidation.IsValidPathSegmentName(meta.Name).Select(m => FieldError.Invalid("metadata.name", meta.Name, m)));
        }

        errors.AddRange(ObjectMetaValidation.ValidateName(meta.Name, validateName, "metadata.name"));
        errors.AddRange(ObjectMetaValidation.ValidateNamespace(meta.NamespaceProperty, namespaced, "metadata.namespace"));
        errors.AddRange(ObjectMetaValidation.ValidateLabels(meta.Labels, "metadata.labels"));
        errors.AddRange(ObjectMetaValidation.ValidateAnnotations(meta.Annotations, "metadata.annotations"));
        errors.AddRange(ObjectMetaValidation.ValidateFinalizers(meta.Finalizers?.ToList(), "metadata.finalizers"));
        if (meta.Generation is < 0)
        {
            errors.Add(FieldError.Invalid("metadata.generation", meta.Generation, "must be greater than or equal to 0"));
        }

        return errors;
    }

    public static IEnumerable<FieldError> ValidateUpdate(V1ObjectMeta meta, V1ObjectMeta old, bool namespaced)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(old);
        if (meta.Name != old.Name)
        {
            yield return FieldError.Invalid("metadata.name", meta.Name, "field is immutable");
        }

        if (namespaced && meta.NamespaceProperty != old.NamespaceProperty)
        {
            yield return FieldError.Invalid("metadata.namespace", meta.NamespaceProperty, "field is immutable");
        }

        if (meta.Uid != old.Uid)
        {
            yield return FieldError.Invalid("metadata.uid", meta.Uid, "field is immutable");
        }

        if (meta.CreationTimestamp != old.CreationTimestamp)
        {
            yield return FieldError.Invalid("metadata.creationTimestamp", Timestamps.Format(meta.CreationTimestamp), "field is immutable");
        }

        foreach (var e in ObjectMetaValidation.ValidateLabels(meta.Labels, "metadata.labels")
                     .Concat(ObjectMetaValidation.ValidateAnnotations(meta.Annotations, "metadata.annotations"))
                     .Concat(ObjectMetaValidation.ValidateFinalizers(meta.Finalizers?.ToList(), "metadata.finalizers")))
        {
            yield return e;
        }
    }
}
