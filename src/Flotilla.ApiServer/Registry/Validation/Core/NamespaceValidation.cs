using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateNamespace: spec.finalizers are qualified names or standard ones. Updates change metadata only.</summary>
public static class NamespaceValidation
{
    public static List<FieldError> Validate(V1Namespace ns) =>
        [.. FinalizerValidation.Namespace(ns.Spec?.Finalizers, FieldPath.Root("spec").Child("finalizers"))];

    public static List<FieldError> ValidateUpdate(V1Namespace ns, V1Namespace old) => [];
}
