using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Networking;

/// <summary>Upstream ValidateIngressCreate and ValidateIngressUpdate (networking.k8s.io/v1).</summary>
public static class IngressValidation
{
    private const string ClassAnnotation = "kubernetes.io/ingress.class";
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidSuffixes = ["/..", "/."];

    public static List<FieldError> Validate(V1Ingress ingress)
    {
        var errors = ValidateSpec(ingress.Spec ?? new V1IngressSpec(), old: null);
        if (ingress.Metadata?.Annotations is { } annotations && annotations.TryGetValue(ClassAnnotation, out var annotation) &&
            ingress.Spec?.IngressClassName is { } className && annotation != className)
        {
            // Upstream's path starts at "annotations", not "metadata.annotations".
            errors.Add(FieldError.Invalid(FieldPath.Root("annotations").Child(ClassAnnotation), annotation, "must match `ingressClassName` when both are specified"));
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Ingress ingress, V1Ingress old) => ValidateSpec(ingress.Spec ?? new V1IngressSpec(), old);

    private static List<FieldError> ValidateSpec(V1IngressSpec spec, V1Ingress? old)
    {
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        var rules = spec.Rules ?? [];
        if (rules.Count == 0 && spec.DefaultBackend is null)
        {
            errors.Add(FieldError.Invalid(path, new GoValue("[]networking.IngressRule(nil)"), "either `defaultBackend` or `rules` must be specified"));
        }

        if (spec.DefaultBackend is { } defaultBackend)
        {
            errors.AddRange(Backend(defaultBackend, path.Child("defaultBackend")));
        }

        for (var i = 0; i < rules.Count; i++)
        {
            errors.AddRange(Rule(rules[i], path.Child("rules").Index(i)));
        }

        // Existing objects with an invalid TLS secret name may keep it.
        var allowInvalidSecretName = old?.Spec?.Tls?.Any(t => !string.IsNullOrEmpty(t.SecretName) && NameValidation.NameIsDnsSubdomain(t.SecretName, false).Count > 0) == true;
        var tls = spec.Tls ?? [];
        for (var i = 0; i < tls.Count; i++)
        {
            var tlsPath = path.Child("tls").Index(i);
            var hosts = tls[i].Hosts ?? [];
            for (var j = 0; j < hosts.Count; j++)
            {
                var messages = hosts[j].Contains('*', StringComparison.Ordinal) ? FormatValidation.IsWildcardDns1123Subdomain(hosts[j]) : NameValidation.IsDns1123Subdomain(hosts[j]);
                errors.AddRange(messages.Select(m => FieldError.Invalid(tlsPath.Child("hosts").Index(j), hosts[j], m)));
            }

            if (!allowInvalidSecretName && !string.IsNullOrEmpty(tls[i].SecretName))
            {
                errors.AddRange(FieldChecks.Name(tls[i].SecretName, NameValidation.NameIsDnsSubdomain, tlsPath.Child("secretName")));
            }
        }

        if (spec.IngressClassName is { } className)
        {
            errors.AddRange(FieldChecks.Name(className, NameValidation.NameIsDnsSubdomain, path.Child("ingressClassName")));
        }

        return errors;
    }

    private static IEnumerable<FieldError> Rule(V1IngressRule rule, FieldPath path)
    {
        if (!string.IsNullOrEmpty(rule.Host))
        {
            if (FormatValidation.TryParseIp(rule.Host, out _))
            {
                yield return FieldError.Invalid(path.Child("host"), rule.Host, "must be a DNS name, not an IP address");
            }

            var messages = rule.Host.Contains('*', StringComparison.Ordinal) ? FormatValidation.IsWildcardDns1123Subdomain(rule.Host) : NameValidation.IsDns1123Subdomain(rule.Host);
            foreach (var message in messages)
            {
                yield return FieldError.Invalid(path.Child("host"), rule.Host, message);
            }
        }

        if (rule.Http is not { } http)
        {
            yield break;
        }

        var paths = http.Paths ?? [];
        if (paths.Count == 0)
        {
            yield return FieldError.Required(path.Child("http", "paths"));
        }

        for (var i = 0; i < paths.Count; i++)
        {
            foreach (var e in HttpPath(paths[i], path.Child("http", "paths").Index(i)))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<FieldError> HttpPath(V1HTTPIngressPath httpPath, FieldPath path)
    {
        if (httpPath.PathType is not { } pathType)
        {
            yield return FieldError.Required(path.Child("pathType"), "pathType must be specified");
            yield break;
        }

        var value = httpPath.Path ?? string.Empty;
        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (!value.StartsWith('/'))
                {
                    yield return FieldError.Invalid(path.Child("path"), value, "must be an absolute path");
                }

                foreach (var sequence in InvalidSequences.Where(s => value.Contains(s, StringComparison.Ordinal)))
                {
                    yield return FieldError.Invalid(path.Child("path"), value, $"must not contain '{sequence}'");
                }

                foreach (var suffix in InvalidSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal)))
                {
                    yield return FieldError.Invalid(path.Child("path"), value, $"cannot end with '{suffix}'");
                }

                break;
            case "ImplementationSpecific":
                if (value.Length > 0 && !value.StartsWith('/'))
                {
                    yield return FieldError.Invalid(path.Child("path"), value, "must be an absolute path");
                }

                break;
            default:
                yield return FieldError.NotSupported(path.Child("pathType"), pathType, PathTypes);
                break;
        }

        foreach (var e in Backend(httpPath.Backend, path.Child("backend")))
        {
            yield return e;
        }
    }

    private static IEnumerable<FieldError> Backend(V1IngressBackend? backend, FieldPath path)
    {
        var resource = backend?.Resource;
        var service = backend?.Service;
        if (resource is not null && service is not null)
        {
            yield return FieldError.Invalid(path, string.Empty, "cannot set both resource and service backends");
            yield break;
        }

        if (resource is not null)
        {
            foreach (var e in TypedReference(resource.ApiGroup, resource.Kind, resource.Name, path.Child("resource")))
            {
                yield return e;
            }

            yield break;
        }

        if (service is null)
        {
            yield return FieldError.Invalid(path, string.Empty, "resource or service backend is required");
            yield break;
        }

        if (string.IsNullOrEmpty(service.Name))
        {
            yield return FieldError.Required(path.Child("service", "name"));
        }
        else
        {
            foreach (var e in FieldChecks.Name(service.Name, NameValidation.NameIsDns1035Label, path.Child("service", "name")))
            {
                yield return e;
            }
        }

        var portName = service.Port?.Name ?? string.Empty;
        var portNumber = service.Port?.Number ?? 0;
        if (portName.Length > 0 && portNumber != 0)
        {
            yield return FieldError.Invalid(path, string.Empty, "cannot set both port name & port number");
        }
        else if (portName.Length > 0)
        {
            foreach (var message in FormatValidation.IsValidPortName(portName))
            {
                yield return FieldError.Invalid(path.Child("service", "port", "name"), portName, message);
            }
        }
        else if (portNumber != 0)
        {
            foreach (var message in FormatValidation.IsValidPortNum(portNumber))
            {
                yield return FieldError.Invalid(path.Child("service", "port", "number"), portNumber, message);
            }
        }
        else
        {
            yield return FieldError.Required(path, "port name or number is required");
        }
    }

    /// <summary>Upstream validateIngressTypedLocalObjectReference (also IngressClass parameters).</summary>
    public static IEnumerable<FieldError> TypedReference(string? apiGroup, string? kind, string? name, FieldPath path)
    {
        if (apiGroup is not null)
        {
            foreach (var e in FieldChecks.Dns1123Subdomain(apiGroup, path.Child("apiGroup")))
            {
                yield return e;
            }
        }

        foreach (var (field, value) in new[] { ("kind", kind), ("name", name) })
        {
            if (string.IsNullOrEmpty(value))
            {
                yield return FieldError.Required(path.Child(field));
                continue;
            }

            foreach (var message in NameValidation.IsValidPathSegmentName(value))
            {
                yield return FieldError.Invalid(path.Child(field), value, message);
            }
        }
    }
}
