using Flotilla.ApiServer.Registry.Validation.Coordination;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Coordination;

public sealed class LeaseValidationTests
{
    [Fact]
    public void Validate_DurationAndTransitions_UpstreamErrors() =>
        Errors.Equal(
            LeaseValidation.Validate(new V1Lease { Metadata = ValidObjects.Meta("lock"), Spec = new V1LeaseSpec { LeaseDurationSeconds = 0, LeaseTransitions = -1 } }),
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");

    [Fact]
    public void Validate_HeldLease_NoErrors() =>
        Errors.Equal(LeaseValidation.Validate(new V1Lease { Metadata = ValidObjects.Meta("lock"), Spec = new V1LeaseSpec { HolderIdentity = "node-1", LeaseDurationSeconds = 40 } }));
}
