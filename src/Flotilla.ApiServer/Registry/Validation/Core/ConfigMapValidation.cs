using System.Text;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateConfigMap and ValidateConfigMapUpdate.</summary>
public static class ConfigMapValidation
{
    /// <summary>core.MaxSecretSize, shared by secrets and config maps: 1 MiB of values.</summary>
    public const int MaxSize = 1024 * 1024;

    public const string ImmutableDetail = "field is immutable when `immutable` is set";

    public static List<FieldError> Validate(V1ConfigMap configMap)
    {
        var errors = new List<FieldError>();
        var data = configMap.Data ?? new Dictionary<string, string>();
        var binary = configMap.BinaryData ?? new Dictionary<string, byte[]>();
        long total = 0;
        foreach (var (key, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = FieldPath.Root("data").Key(key);
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldError.Invalid(path, key, m)));
            if (binary.ContainsKey(key))
            {
                errors.Add(FieldError.Invalid(path, key, "duplicate of key present in binaryData"));
            }

            total += Encoding.UTF8.GetByteCount(value ?? string.Empty);
        }

        foreach (var (key, value) in binary.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = FieldPath.Root("binaryData").Key(key);
            errors.AddRange(FormatValidation.IsConfigMapKey(key).Select(m => FieldError.Invalid(path, key, m)));
            total += value?.Length ?? 0;
        }

        // Upstream reports the size against the whole object (a path with no name, printed "[]").
        if (total > MaxSize)
        {
            errors.Add(FieldError.TooLong(FieldPath.Root(string.Empty), MaxSize));
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1ConfigMap configMap, V1ConfigMap old)
    {
        var errors = new List<FieldError>();
        if (old.Immutable == true)
        {
            if (configMap.Immutable != true)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), ImmutableDetail));
            }

            if (!ModelJson.SemanticEqual(configMap.Data, old.Data))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("data"), ImmutableDetail));
            }

            if (!ModelJson.SemanticEqual(configMap.BinaryData, old.BinaryData))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("binaryData"), ImmutableDetail));
            }
        }

        errors.AddRange(Validate(configMap));
        return errors;
    }
}
