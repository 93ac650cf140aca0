using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Networking;

/// <summary>Upstream ValidateIngressClass and ValidateIngressClassUpdate (the controller is fixed).</summary>
public static class IngressClassValidation
{
    private const int MaxControllerLength = 250;

    public static List<FieldError> Validate(V1IngressClass ingressClass)
    {
        var spec = ingressClass.Spec ?? new V1IngressClassSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        var controller = spec.Controller ?? string.Empty;
        if (controller.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("controller")));
        }
        else
        {
            if (controller.Length > MaxControllerLength)
            {
                errors.Add(FieldError.TooLong(path.Child("controller"), MaxControllerLength));
            }

            errors.AddRange(FormatValidation.IsDomainPrefixedPath(path.Child("controller"), controller));
        }

        if (spec.Parameters is { } parameters)
        {
            errors.AddRange(Parameters(parameters, path.Child("parameters")));
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1IngressClass ingressClass, V1IngressClass old)
    {
        var errors = FieldChecks.Immutable(ingressClass.Spec?.Controller ?? string.Empty, old.Spec?.Controller ?? string.Empty, FieldPath.Root("spec").Child("controller")).ToList();
        errors.AddRange(Validate(ingressClass));
        return errors;
    }

    private static IEnumerable<FieldError> Parameters(V1IngressClassParametersReference parameters, FieldPath path)
    {
        foreach (var e in IngressValidation.TypedReference(parameters.ApiGroup, parameters.Kind, parameters.Name, path))
        {
            yield return e;
        }

        // scope defaults to Cluster.
        switch (parameters.Scope ?? "Cluster")
        {
            case "Namespace":
                if (parameters.NamespaceProperty is null)
                {
                    yield return FieldError.Required(path.Child("namespace"), "`parameters.scope` is set to 'Namespace'");
                }
                else
                {
                    foreach (var e in FieldChecks.Name(parameters.NamespaceProperty, NameValidation.NameIsDnsLabel, path.Child("namespace")))
                    {
                        yield return e;
                    }
                }

                break;
            case "Cluster":
                if (parameters.NamespaceProperty is not null)
                {
                    yield return FieldError.Forbidden(path.Child("namespace"), "`parameters.scope` is set to 'Cluster'");
                }

                break;
            default:
                yield return FieldError.NotSupported(path.Child("scope"), parameters.Scope, ["Cluster", "Namespace"]);
                break;
        }
    }
}
