using Flotilla.ApiServer.Registry.Validation.Scheduling;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Scheduling;

public sealed class PriorityClassValidationTests
{
    [Theory]
    [InlineData("high", 1000, null)]
    [InlineData("high", 1_000_000_001, "value: Forbidden: maximum allowed value of a user defined priority is 1000000000")]
    [InlineData("system-cluster-critical", 2_000_000_000, null)]
    [InlineData("system-cluster-critical", 5, "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000")]
    [InlineData("system-mine", 5, "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class")]
    public void Validate_Value_UserAndSystemRanges(string name, int value, string? expected) =>
        Errors.Equal(PriorityClassValidation.Validate(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = name }, Value = value }), expected is null ? [] : [expected]);

    [Fact]
    public void ValidateUpdate_Value_Fixed() =>
        Errors.Equal(
            PriorityClassValidation.ValidateUpdate(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 2 }, new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 1 }),
            "value: Forbidden: may not be changed in an update.");
}
