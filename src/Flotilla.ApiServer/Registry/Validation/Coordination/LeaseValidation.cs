using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Coordination;

/// <summary>Upstream ValidateLeaseSpec (create and update validate the same).</summary>
public static class LeaseValidation
{
    public static List<FieldError> Validate(V1Lease lease)
    {
        var spec = lease.Spec;
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        if (spec?.LeaseDurationSeconds is <= 0)
        {
            errors.Add(FieldError.Invalid(path.Child("leaseDurationSeconds"), spec.LeaseDurationSeconds.Value, "must be greater than 0"));
        }

        if (spec?.LeaseTransitions is < 0)
        {
            errors.Add(FieldError.Invalid(path.Child("leaseTransitions"), spec.LeaseTransitions.Value, ValidationText.IsNegative));
        }

        return errors;
    }
}
