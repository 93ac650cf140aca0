using System.Net.Sockets;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Discovery;

/// <summary>Upstream ValidateEndpointSlice (discovery.k8s.io/v1); the address type is fixed on update.</summary>
public static class EndpointSliceValidation
{
    private const int MaxEndpoints = 1000;
    private const int MaxAddresses = 100;
    private const int MaxPorts = 20000;
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];

    public static List<FieldError> Validate(V1EndpointSlice slice)
    {
        var errors = new List<FieldError>();
        var addressType = slice.AddressType ?? string.Empty;
        if (addressType.Length == 0)
        {
            errors.Add(FieldError.Required(FieldPath.Root("addressType")));
        }
        else if (!AddressTypes.Contains(addressType))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("addressType"), addressType, AddressTypes));
        }

        var endpoints = slice.Endpoints ?? [];
        if (endpoints.Count > MaxEndpoints)
        {
            errors.Add(FieldChecks.TooMany(FieldPath.Root("endpoints"), endpoints.Count, MaxEndpoints));
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            errors.AddRange(Endpoint(endpoints[i], addressType, FieldPath.Root("endpoints").Index(i)));
        }

        var ports = slice.Ports ?? [];
        if (ports.Count > MaxPorts)
        {
            errors.Add(FieldChecks.TooMany(FieldPath.Root("ports"), ports.Count, MaxPorts));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var path = FieldPath.Root("ports").Index(i);
            var name = ports[i].Name ?? string.Empty;
            if (name.Length > 0)
            {
                errors.AddRange(FieldChecks.Dns1123Label(name, path.Child("name")));
            }

            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(path.Child("name"), name));
            }

            if (ports[i].Protocol is { } protocol && !ContainerPortValidation.Protocols.Contains(protocol))
            {
                errors.Add(FieldError.NotSupported(path.Child("protocol"), protocol, ContainerPortValidation.Protocols));
            }

            if (ports[i].AppProtocol is { } appProtocol)
            {
                errors.AddRange(FieldChecks.QualifiedName(appProtocol, path.Child("appProtocol")));
            }
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1EndpointSlice slice, V1EndpointSlice old)
    {
        var errors = Validate(slice);
        errors.AddRange(FieldChecks.Immutable(slice.AddressType, old.AddressType, FieldPath.Root("addressType")));
        return errors;
    }

    private static IEnumerable<FieldError> Endpoint(V1Endpoint endpoint, string addressType, FieldPath path)
    {
        var addresses = endpoint.Addresses ?? [];
        var addressesPath = path.Child("addresses");
        if (addresses.Count == 0)
        {
            yield return FieldError.Required(addressesPath, "must contain at least 1 address");
        }
        else if (addresses.Count > MaxAddresses)
        {
            yield return FieldChecks.TooMany(addressesPath, addresses.Count, MaxAddresses);
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var address = addresses[i];
            var family = FormatValidation.TryParseIp(address, out var ip) ? ip.AddressFamily : (AddressFamily?)null;
            var error = addressType switch
            {
                "IPv4" when family != AddressFamily.InterNetwork => "must be a valid IPv4 address",
                "IPv6" when family != AddressFamily.InterNetworkV6 => "must be a valid IPv6 address",
                "FQDN" when NameValidation.IsDns1123Subdomain(address).Count > 0 || !address.Contains('.', StringComparison.Ordinal) =>
                    "should be a domain with at least two segments separated by dots",
                _ => null,
            };
            if (error is not null)
            {
                yield return FieldError.Invalid(addressesPath.Index(i), address, error);
            }
        }

        if (endpoint.Hostname is { } hostname)
        {
            foreach (var e in FieldChecks.Dns1123Label(hostname, path.Child("hostname")))
            {
                yield return e;
            }
        }

        if (endpoint.NodeName is { } nodeName)
        {
            foreach (var e in FieldChecks.Name(nodeName, NameValidation.NameIsDnsSubdomain, path.Child("nodeName")))
            {
                yield return e;
            }
        }
    }
}
