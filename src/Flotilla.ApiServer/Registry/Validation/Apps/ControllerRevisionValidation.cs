using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>Upstream ValidateControllerRevision and ValidateControllerRevisionUpdate (data is fixed).</summary>
public static class ControllerRevisionValidation
{
    public static List<FieldError> Validate(V1ControllerRevision revision)
    {
        var errors = new List<FieldError>();
        if (revision.Data is null)
        {
            errors.Add(FieldError.Required(FieldPath.Root("data"), "data is mandatory"));
        }

        errors.AddRange(FieldChecks.NonNegative(revision.Revision, FieldPath.Root("revision")));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1ControllerRevision revision, V1ControllerRevision old)
    {
        var errors = Validate(revision);
        errors.AddRange(FieldChecks.Immutable(revision.Data, old.Data, FieldPath.Root("data"), new GoValue("runtime.RawExtension{Raw:[]uint8{...}, Object:runtime.Object(nil)}")));
        return errors;
    }
}
