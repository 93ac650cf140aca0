using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateEndpoints (create and update validate the same).</summary>
public static class EndpointsValidation
{
    public static List<FieldError> Validate(V1Endpoints endpoints)
    {
        var errors = new List<FieldError>();
        var subsets = endpoints.Subsets ?? [];
        for (var i = 0; i < subsets.Count; i++)
        {
            var subset = subsets[i];
            var path = FieldPath.Root("subsets").Index(i);
            if (subset.Addresses is not { Count: > 0 } && subset.NotReadyAddresses is not { Count: > 0 })
            {
                errors.Add(FieldError.Required(path, "must specify `addresses` or `notReadyAddresses`"));
            }

            errors.AddRange((subset.Addresses ?? []).SelectMany((a, j) => Address(a, path.Child("addresses").Index(j))));
            errors.AddRange((subset.NotReadyAddresses ?? []).SelectMany((a, j) => Address(a, path.Child("notReadyAddresses").Index(j))));
            var ports = subset.Ports ?? [];
            for (var j = 0; j < ports.Count; j++)
            {
                errors.AddRange(Port(ports[j].Name, ports[j].Port, ports[j].Protocol, ports[j].AppProtocol, ports.Count > 1, path.Child("ports").Index(j)));
            }
        }

        return errors;
    }

    /// <summary>Upstream validateEndpointPort (a name is required when there are several ports).</summary>
    public static IEnumerable<FieldError> Port(string? name, int port, string? protocol, string? appProtocol, bool requireName, FieldPath path)
    {
        if (requireName && string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required(path.Child("name"));
        }
        else if (!string.IsNullOrEmpty(name))
        {
            foreach (var e in FieldChecks.Dns1123Label(name, path.Child("name")))
            {
                yield return e;
            }
        }

        foreach (var message in FormatValidation.IsValidPortNum(port))
        {
            yield return FieldError.Invalid(path.Child("port"), port, message);
        }

        // protocol defaults to TCP.
        if (!string.IsNullOrEmpty(protocol) && !ContainerPortValidation.Protocols.Contains(protocol))
        {
            yield return FieldError.NotSupported(path.Child("protocol"), protocol, ContainerPortValidation.Protocols);
        }

        if (appProtocol is not null)
        {
            foreach (var e in FieldChecks.QualifiedName(appProtocol, path.Child("appProtocol")))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<FieldError> Address(V1EndpointAddress address, FieldPath path)
    {
        var ip = address.Ip ?? string.Empty;
        foreach (var e in FormatValidation.IsValidIp(path.Child("ip"), ip))
        {
            yield return e;
        }

        if (!string.IsNullOrEmpty(address.Hostname))
        {
            foreach (var e in FieldChecks.Dns1123Label(address.Hostname, path.Child("hostname")))
            {
                yield return e;
            }
        }

        if (address.NodeName is not null)
        {
            foreach (var e in FieldChecks.Name(address.NodeName, NameValidation.NameIsDnsSubdomain, path.Child("nodeName")))
            {
                yield return e;
            }
        }

        foreach (var e in ServiceClusterIpValidation.NonSpecialIp(ip, path.Child("ip")))
        {
            yield return e;
        }
    }
}
