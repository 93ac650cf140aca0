using Flotilla.ApiServer.Registry.Validation.Discovery;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Discovery;

public sealed class EndpointSliceValidationTests
{
    [Fact]
    public void Validate_ValidSlice_NoErrors() =>
        Errors.Equal(EndpointSliceValidation.Validate(Slice("IPv4", "10.0.0.1")));

    [Fact]
    public void Validate_AddressOfOtherFamily_Invalid() =>
        Errors.Equal(EndpointSliceValidation.Validate(Slice("IPv4", "fd00::1")), "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address");

    [Fact]
    public void Validate_AddressType_Supported() =>
        Errors.Equal(EndpointSliceValidation.Validate(Slice("IPv5", "10.0.0.1")), "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");

    [Fact]
    public void ValidateUpdate_AddressType_Immutable() =>
        Errors.Equal(EndpointSliceValidation.ValidateUpdate(Slice("IPv6", "fd00::1"), Slice("IPv4", "10.0.0.1")), "addressType: Invalid value: \"IPv6\": field is immutable");

    private static V1EndpointSlice Slice(string addressType, string address) => new()
    {
        Metadata = ValidObjects.Meta("web-abc"),
        AddressType = addressType,
        Endpoints = [new V1Endpoint { Addresses = [address] }],
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 80, Protocol = "TCP" }],
    };
}
