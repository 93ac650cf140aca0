using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateEnv and ValidateEnvFrom: variable names, exactly one valueFrom source, downward API paths.</summary>
public static class EnvValidation
{
    private static readonly string[] EnvFieldPaths =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    private static readonly string[] ContainerResourceFields =
    [
        "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory",
    ];

    private static readonly HashSet<string> DownwardApiLabels =
    [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
        "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP",
        "status.hostIPs", "status.podIP", "status.podIPs", "spec.host",
    ];

    public static IEnumerable<FieldError> Validate(IList<V1EnvVar>? vars, FieldPath path)
    {
        for (var i = 0; i < (vars?.Count ?? 0); i++)
        {
            var env = vars![i];
            var itemPath = path.Index(i);
            if (string.IsNullOrEmpty(env.Name))
            {
                yield return FieldError.Required(itemPath.Child("name"));
            }
            else
            {
                foreach (var message in FormatValidation.IsRelaxedEnvVarName(env.Name))
                {
                    yield return FieldError.Invalid(itemPath.Child("name"), env.Name, message);
                }
            }

            foreach (var e in ValidateValueFrom(env, itemPath.Child("valueFrom")))
            {
                yield return e;
            }
        }
    }

    public static IEnumerable<FieldError> ValidateFrom(IList<V1EnvFromSource>? sources, FieldPath path)
    {
        for (var i = 0; i < (sources?.Count ?? 0); i++)
        {
            var source = sources![i];
            var itemPath = path.Index(i);
            if (!string.IsNullOrEmpty(source.Prefix))
            {
                foreach (var message in FormatValidation.IsRelaxedEnvVarName(source.Prefix))
                {
                    yield return FieldError.Invalid(itemPath.Child("prefix"), source.Prefix, message);
                }
            }

            var count = 0;
            if (source.ConfigMapRef is not null)
            {
                count++;
                foreach (var e in ValidateSourceName(source.ConfigMapRef.Name, itemPath.Child("configMapRef", "name")))
                {
                    yield return e;
                }
            }

            if (source.SecretRef is not null)
            {
                count++;
                foreach (var e in ValidateSourceName(source.SecretRef.Name, itemPath.Child("secretRef", "name")))
                {
                    yield return e;
                }
            }

            if (count == 0)
            {
                yield return FieldError.Invalid(path, string.Empty, "must specify one of: `configMapRef` or `secretRef`");
            }
            else if (count > 1)
            {
                yield return FieldError.Invalid(path, string.Empty, "may not have more than one field specified at a time");
            }
        }
    }

    /// <summary>Upstream validateObjectFieldSelector for a downward API field reference (env or volume file).</summary>
    public static IEnumerable<FieldError> ValidateFieldRef(V1ObjectFieldSelector fieldRef, IReadOnlyCollection<string> allowed, FieldPath path)
    {
        // apiVersion defaults to v1.
        var apiVersion = string.IsNullOrEmpty(fieldRef.ApiVersion) ? "v1" : fieldRef.ApiVersion;
        if (string.IsNullOrEmpty(fieldRef.FieldPath))
        {
            return [FieldError.Required(path.Child("fieldPath"))];
        }

        var label = fieldRef.FieldPath;
        var subscripted = TrySplitSubscript(label, out var fieldPath, out var subscript);
        string? conversionError = apiVersion != "v1" ? $"unsupported pod version: {apiVersion}"
            : subscripted && fieldPath is not ("metadata.annotations" or "metadata.labels") ? $"field label does not support subscript: {label}"
            : !subscripted && !DownwardApiLabels.Contains(label) ? $"field label not supported: {label}"
            : null;
        if (conversionError is not null)
        {
            return [FieldError.Invalid(path.Child("fieldPath"), label, "error converting fieldPath: " + conversionError)];
        }

        if (subscripted)
        {
            return FieldChecks.QualifiedName(fieldPath == "metadata.annotations" ? subscript.ToLowerInvariant() : subscript, path);
        }

        var internalPath = label == "spec.host" ? "spec.nodeName" : label;
        return allowed.Contains(internalPath) ? [] : [FieldError.NotSupported(path.Child("fieldPath"), internalPath, allowed.Order(StringComparer.Ordinal))];
    }

    /// <summary>Upstream validateContainerResourceFieldSelector; volume files must also name their container.</summary>
    public static IEnumerable<FieldError> ValidateResourceFieldRef(V1ResourceFieldSelector selector, FieldPath path, bool volume)
    {
        if (volume && string.IsNullOrEmpty(selector.ContainerName))
        {
            yield return FieldError.Required(path.Child("containerName"));
        }
        else if (string.IsNullOrEmpty(selector.Resource))
        {
            yield return FieldError.Required(path.Child("resource"));
        }
        else if (!ContainerResourceFields.Contains(selector.Resource) &&
                 !selector.Resource.StartsWith("requests.hugepages-", StringComparison.Ordinal) &&
                 !selector.Resource.StartsWith("limits.hugepages-", StringComparison.Ordinal))
        {
            yield return FieldError.NotSupported(path.Child("resource"), selector.Resource, ContainerResourceFields);
        }

        if (selector.Divisor is { } divisor && Quantities.Value(divisor) != 0 && selector.Resource is { } resource)
        {
            var text = Quantities.Canonical(divisor);
            var memoryLike = text is "1" or "1k" or "1M" or "1G" or "1T" or "1P" or "1E" or "1Ki" or "1Mi" or "1Gi" or "1Ti" or "1Pi" or "1Ei";
            var detail = resource switch
            {
                "limits.cpu" or "requests.cpu" when text is not ("1m" or "1") => "only divisor's values 1m and 1 are supported with the cpu resource",
                "limits.memory" or "requests.memory" when !memoryLike => "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource",
                "limits.ephemeral-storage" or "requests.ephemeral-storage" when !memoryLike => "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource",
                _ when resource.Contains(".hugepages-", StringComparison.Ordinal) && !memoryLike => "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource",
                _ => null,
            };
            if (detail is not null)
            {
                yield return FieldError.Invalid(path.Child("divisor"), resource, detail);
            }
        }
    }

    private static IEnumerable<FieldError> ValidateValueFrom(V1EnvVar env, FieldPath path)
    {
        var from = env.ValueFrom;
        if (from is null)
        {
            yield break;
        }

        var errors = new List<FieldError>();
        var count = 0;
        if (from.FieldRef is not null)
        {
            count++;
            errors.AddRange(ValidateFieldRef(from.FieldRef, EnvFieldPaths, path.Child("fieldRef")));
        }

        if (from.ResourceFieldRef is not null)
        {
            count++;
            errors.AddRange(ValidateResourceFieldRef(from.ResourceFieldRef, path.Child("resourceFieldRef"), volume: false));
        }

        if (from.ConfigMapKeyRef is not null)
        {
            count++;
            errors.AddRange(ValidateKeySelector(from.ConfigMapKeyRef.Name, from.ConfigMapKeyRef.Key, path.Child("configMapKeyRef")));
        }

        if (from.SecretKeyRef is not null)
        {
            count++;
            errors.AddRange(ValidateKeySelector(from.SecretKeyRef.Name, from.SecretKeyRef.Key, path.Child("secretKeyRef")));
        }

        if (count == 0)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        }
        else if (!string.IsNullOrEmpty(env.Value))
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "may not be specified when `value` is not empty"));
        }
        else if (count > 1)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "may not have more than one field specified at a time"));
        }

        foreach (var e in errors)
        {
            yield return e;
        }
    }

    // As upstream, the name is checked even when empty (an empty name fails the subdomain format).
    private static IEnumerable<FieldError> ValidateKeySelector(string? name, string? key, FieldPath path)
    {
        foreach (var e in FieldChecks.Name(name ?? string.Empty, NameValidation.NameIsDnsSubdomain, path.Child("name")))
        {
            yield return e;
        }

        if (string.IsNullOrEmpty(key))
        {
            yield return FieldError.Required(path.Child("key"));
            yield break;
        }

        foreach (var message in FormatValidation.IsConfigMapKey(key))
        {
            yield return FieldError.Invalid(path.Child("key"), key, message);
        }
    }

    private static IEnumerable<FieldError> ValidateSourceName(string? name, FieldPath path)
    {
        if (string.IsNullOrEmpty(name))
        {
            return [FieldError.Required(path)];
        }

        return NameValidation.NameIsDnsSubdomain(name, true).Select(m => FieldError.Invalid(path, name, m));
    }

    // fieldpath.SplitMaybeSubscriptedPath: metadata.labels['key'].
    private static bool TrySplitSubscript(string label, out string path, out string subscript)
    {
        path = label;
        subscript = string.Empty;
        if (!label.EndsWith("']", StringComparison.Ordinal))
        {
            return false;
        }

        var open = label.IndexOf("['", StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        path = label[..open];
        subscript = label[(open + 2)..^2];
        return true;
    }
}
