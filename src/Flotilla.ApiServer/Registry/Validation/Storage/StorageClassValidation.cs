using System.Text;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Storage;

/// <summary>Upstream ValidateStorageClass and ValidateStorageClassUpdate (provisioner, parameters, policies are fixed).</summary>
public static class StorageClassValidation
{
    private const int MaxParameters = 512;
    private const int MaxParameterBytes = 256 * 1024;

    public static List<FieldError> Validate(V1StorageClass storageClass)
    {
        var errors = new List<FieldError>();
        var provisioner = storageClass.Provisioner ?? string.Empty;
        var provisionerPath = FieldPath.Root("provisioner");
        if (provisioner.Length == 0)
        {
            errors.Add(FieldError.Required(provisionerPath));
        }
        else
        {
            errors.AddRange(NameValidation.IsQualifiedName(provisioner.ToLowerInvariant()).Select(m => FieldError.Invalid(provisionerPath, provisioner.ToLowerInvariant(), m)));
        }

        var parameters = storageClass.Parameters ?? new Dictionary<string, string>();
        var parametersPath = FieldPath.Root("parameters");
        if (parameters.Count > MaxParameters)
        {
            errors.Add(FieldError.TooLong(parametersPath, MaxParameters));
        }
        else
        {
            long total = 0;
            foreach (var (key, value) in parameters)
            {
                if (key.Length == 0)
                {
                    errors.Add(FieldError.Invalid(parametersPath, key, "field can not be empty."));
                }

                total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? string.Empty);
            }

            if (total > MaxParameterBytes)
            {
                errors.Add(FieldError.TooLong(parametersPath, MaxParameterBytes));
            }
        }

        // reclaimPolicy defaults to Delete and volumeBindingMode to Immediate.
        if (!string.IsNullOrEmpty(storageClass.ReclaimPolicy) && storageClass.ReclaimPolicy is not ("Delete" or "Retain"))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("reclaimPolicy"), storageClass.ReclaimPolicy, ["Delete", "Retain"]));
        }

        if (storageClass.VolumeBindingMode is { } mode && mode is not ("Immediate" or "WaitForFirstConsumer"))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("volumeBindingMode"), mode, ["Immediate", "WaitForFirstConsumer"]));
        }

        errors.AddRange(AllowedTopologies(storageClass.AllowedTopologies, FieldPath.Root("allowedTopologies")));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1StorageClass storageClass, V1StorageClass old)
    {
        var errors = new List<FieldError>();
        if (!ModelJson.SemanticEqual(storageClass.Parameters, old.Parameters))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("parameters"), "updates to parameters are forbidden."));
        }

        if (storageClass.Provisioner != old.Provisioner)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("provisioner"), "updates to provisioner are forbidden."));
        }

        if ((storageClass.ReclaimPolicy ?? "Delete") != (old.ReclaimPolicy ?? "Delete"))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
        }

        errors.AddRange(FieldChecks.Immutable(storageClass.VolumeBindingMode ?? "Immediate", old.VolumeBindingMode ?? "Immediate", FieldPath.Root("volumeBindingMode")));
        errors.AddRange(Validate(storageClass));
        return errors;
    }

    private static IEnumerable<FieldError> AllowedTopologies(IList<V1TopologySelectorTerm>? terms, FieldPath path)
    {
        for (var i = 0; i < (terms?.Count ?? 0); i++)
        {
            var expressions = terms![i].MatchLabelExpressions ?? [];
            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < expressions.Count; j++)
            {
                var expressionPath = path.Index(i).Child("matchLabelExpressions").Index(j);
                var values = expressions[j].Values ?? [];
                if (values.Count == 0)
                {
                    yield return FieldError.Required(expressionPath.Child("values"));
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var v = 0; v < values.Count; v++)
                {
                    if (!seen.Add(values[v]))
                    {
                        yield return FieldError.Duplicate(expressionPath.Child("values").Index(v), values[v]);
                    }
                }

                foreach (var e in ObjectMetaValidation.ValidateLabelName(expressions[j].Key ?? string.Empty, expressionPath.Child("key")))
                {
                    yield return e;
                }

                if (!keys.Add(expressions[j].Key ?? string.Empty))
                {
                    yield return FieldError.Duplicate(expressionPath.Child("key"), expressions[j].Key ?? string.Empty);
                }
            }
        }
    }
}
