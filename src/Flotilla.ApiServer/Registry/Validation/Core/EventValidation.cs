using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream's legacy event validation, which core/v1 events get on create and update.</summary>
public static class EventValidation
{
    private const int ReportingInstanceLimit = 128;
    private const int ActionLimit = 128;
    private const int ReasonLimit = 128;
    private const int NoteLimit = 1024;

    public static List<FieldError> Validate(Corev1Event evt)
    {
        var errors = new List<FieldError>();
        var ns = evt.Metadata?.NamespaceProperty ?? string.Empty;
        var involvedNamespace = evt.InvolvedObject?.NamespaceProperty ?? string.Empty;
        var involvedPath = FieldPath.Root("involvedObject").Child("namespace");
        if (evt.EventTime is null)
        {
            // An old-style event: its namespace is the involved object's (or default, for cluster-scoped objects).
            if (involvedNamespace.Length == 0 ? ns is not ("" or "default") : ns != involvedNamespace)
            {
                errors.Add(FieldError.Invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
            }
        }
        else
        {
            if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
            {
                errors.Add(FieldError.Invalid(involvedPath, involvedNamespace, "does not match event.namespace"));
            }

            var controller = evt.ReportingComponent ?? string.Empty;
            if (controller.Length == 0)
            {
                errors.Add(FieldError.Required(FieldPath.Root("reportingComponent")));
            }

            errors.AddRange(FieldChecks.QualifiedName(controller, FieldPath.Root("reportingComponent")));
            errors.AddRange(Text(evt.ReportingInstance, "reportingInstance", ReportingInstanceLimit, required: true));
            errors.AddRange(Text(evt.Action, "action", ActionLimit, required: true));
            errors.AddRange(Text(evt.Reason, "reason", ReasonLimit, required: true));
            errors.AddRange(Text(evt.Message, "message", NoteLimit, required: false));
        }

        errors.AddRange(FieldChecks.Dns1123Subdomain(ns, FieldPath.Root("namespace")));
        return errors;
    }

    private static IEnumerable<FieldError> Text(string? value, string field, int limit, bool required)
    {
        if (required && string.IsNullOrEmpty(value))
        {
            yield return FieldError.Required(FieldPath.Root(field));
        }

        if ((value?.Length ?? 0) > limit)
        {
            yield return FieldError.Invalid(FieldPath.Root(field), string.Empty, $"can have at most {limit} characters");
        }
    }
}
