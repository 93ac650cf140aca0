using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>Upstream ValidateReplicaSetSpec and, for apps/v1, the fixed selector on update.</summary>
public static class ReplicaSetValidation
{
    public static List<FieldError> Validate(V1ReplicaSet replicaSet)
    {
        var spec = replicaSet.Spec ?? new V1ReplicaSetSpec();
        var path = FieldPath.Root("spec");
        var errors = FieldChecks.NonNegative(spec.Replicas, path.Child("replicas")).ToList();
        errors.AddRange(FieldChecks.NonNegative(spec.MinReadySeconds, path.Child("minReadySeconds")));

        // Upstream's message names deployments here too.
        var selector = WorkloadTemplateValidation.Selector(spec.Selector, "deployment", path.Child("selector"), "invalid label selector", errors);
        if (selector is not null)
        {
            errors.AddRange(WorkloadTemplateValidation.ReplicaSetTemplate(spec.Template, selector, path.Child("template"), "ReplicaSet"));
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1ReplicaSet replicaSet, V1ReplicaSet old)
    {
        var errors = Validate(replicaSet);
        errors.AddRange(WorkloadTemplateValidation.ImmutableSelector(replicaSet.Spec?.Selector, old.Spec?.Selector));
        return errors;
    }
}
