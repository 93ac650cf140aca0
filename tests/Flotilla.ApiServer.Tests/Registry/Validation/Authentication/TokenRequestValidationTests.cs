using Flotilla.ApiServer.Registry.Validation.Authentication;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Authentication;

/// <summary>Upstream's TokenRequest validation: the lifetime is at least ten minutes and at most 2^32 seconds.</summary>
public sealed class TokenRequestValidationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(600L)]
    [InlineData(4294967296L)]
    public void Validate_LifetimeInRange_Valid(long? seconds) =>
        Errors.Equal(TokenRequestValidation.Validate(Request(seconds)));

    [Fact]
    public void Validate_UnderTenMinutes_Invalid() =>
        Errors.Equal(
            TokenRequestValidation.Validate(Request(599)),
            "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes");

    [Fact]
    public void Validate_Over2To32Seconds_Invalid() =>
        Errors.Equal(
            TokenRequestValidation.Validate(Request(4294967297)),
            "spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds");

    private static Authenticationv1TokenRequest Request(long? seconds) =>
        new() { Spec = new V1TokenRequestSpec { ExpirationSeconds = seconds } };
}
