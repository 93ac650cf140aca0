using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>ObjectMeta rules every kind shares (upstream's ValidateObjectMeta / ValidateObjectMetaUpdate).</summary>
public static class MetadataValidation
{
    public static IEnumerable<FieldError> Validate(V1ObjectMeta meta, bool namespaced, Func<string, bool, IReadOnlyList<string>> validateName)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(validateName);
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            foreach (var message in validateName(meta.GenerateName, true))
            {
                yield return FieldError.Invalid("metadata.generateName", meta.GenerateName, message);
            }
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            yield return FieldError.Required("metadata.name", "name or generateName is required");
        }
        else
        {
            foreach (var message in NameRules.PathSegment(meta.Name).Concat(validateName(meta.Name, false)))
            {
                yield return FieldError.Invalid("metadata.name", meta.Name, message);
            }
        }

        if (namespaced && string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            yield return FieldError.Required("metadata.namespace", string.Empty);
        }
        else if (!namespaced && !string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            yield return FieldError.Forbidden("metadata.namespace", "not allowed on this type");
        }

        if (meta.Generation is < 0)
        {
            yield return FieldError.Invalid("metadata.generation", meta.Generation, "must be greater than or equal to 0");
        }
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
    }
}
