using Flotilla.ApiServer.Registry.Validation.Policy;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Policy;

public sealed class PodDisruptionBudgetValidationTests
{
    [Theory]
    [InlineData("1", null, new string[0])]
    [InlineData("50%", null, new string[0])]
    [InlineData("-1", null, new[] { "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0" })]
    [InlineData("150%", null, new[] { "spec.minAvailable: Invalid value: 150%: must not be greater than 100%" })]
    [InlineData("1", "1", new[] { "spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set" })]
    public void Validate_Budget_UpstreamErrors(string? minAvailable, string? maxUnavailable, string[] expected)
    {
        var budget = new V1PodDisruptionBudget
        {
            Metadata = ValidObjects.Meta(),
            Spec = new V1PodDisruptionBudgetSpec { Selector = ValidObjects.Selector(), MinAvailable = Value(minAvailable), MaxUnavailable = Value(maxUnavailable) },
        };

        Errors.Equal(PodDisruptionBudgetValidation.Validate(budget), expected);
    }

    [Fact]
    public void Validate_EvictionPolicy_Supported() =>
        Errors.Equal(
            PodDisruptionBudgetValidation.Validate(new V1PodDisruptionBudget { Metadata = ValidObjects.Meta(), Spec = new V1PodDisruptionBudgetSpec { UnhealthyPodEvictionPolicy = "Never" } }),
            "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"");

    // The model's implicit conversion turns a null string into an IntOrString holding null, not a null field.
    private static IntOrString? Value(string? value) => value is null ? null : (IntOrString)value;
}
