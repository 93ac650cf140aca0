using System.Globalization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream validateContainerPorts, the host-port conflict check, and ValidatePortNumOrName.</summary>
public static class ContainerPortValidation
{
    /// <summary>TCP, UDP and SCTP, listed sorted as upstream's sets.List prints them.</summary>
    public static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public static IEnumerable<FieldError> Validate(IList<V1ContainerPort>? ports, FieldPath path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i];
            var itemPath = path.Index(i);
            if (!string.IsNullOrEmpty(port.Name))
            {
                var messages = FormatValidation.IsValidPortName(port.Name);
                if (messages.Count > 0)
                {
                    foreach (var message in messages)
                    {
                        yield return FieldError.Invalid(itemPath.Child("name"), port.Name, message);
                    }
                }
                else if (!names.Add(port.Name))
                {
                    yield return FieldError.Duplicate(itemPath.Child("name"), port.Name);
                }
            }

            if (port.ContainerPort == 0)
            {
                yield return FieldError.Required(itemPath.Child("containerPort"));
            }
            else
            {
                foreach (var message in FormatValidation.IsValidPortNum(port.ContainerPort))
                {
                    yield return FieldError.Invalid(itemPath.Child("containerPort"), port.ContainerPort, message);
                }
            }

            if (port.HostPort is { } hostPort and not 0)
            {
                foreach (var message in FormatValidation.IsValidPortNum(hostPort))
                {
                    yield return FieldError.Invalid(itemPath.Child("hostPort"), hostPort, message);
                }
            }

            // protocol defaults to TCP.
            if (!string.IsNullOrEmpty(port.Protocol) && !Protocols.Contains(port.Protocol))
            {
                yield return FieldError.NotSupported(itemPath.Child("protocol"), port.Protocol, Protocols);
            }
        }
    }

    /// <summary>Upstream AccumulateUniqueHostPorts: no two ports may claim the same protocol/hostIP/hostPort.</summary>
    public static IEnumerable<FieldError> HostPortConflicts(IEnumerable<V1Container> containers, FieldPath path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var container in containers)
        {
            var ports = container.Ports ?? [];
            for (var i = 0; i < ports.Count; i++)
            {
                if (ports[i].HostPort is not { } hostPort || hostPort == 0)
                {
                    continue;
                }

                var key = string.Create(CultureInfo.InvariantCulture, $"{Protocol(ports[i].Protocol)}/{ports[i].HostIP}/{hostPort}");
                if (!seen.Add(key))
                {
                    yield return FieldError.Duplicate(path.Index(index).Child("ports").Index(i).Child("hostPort"), key);
                }
            }

            index++;
        }
    }

    /// <summary>Upstream ValidatePortNumOrName; an unset port is the number 0.</summary>
    public static IEnumerable<FieldError> ValidateNumOrName(IntOrString? port, FieldPath path)
    {
        var value = port?.Value ?? "0";
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return FormatValidation.IsValidPortNum(number).Select(m => FieldError.Invalid(path, number, m));
        }

        return FormatValidation.IsValidPortName(value).Select(m => FieldError.Invalid(path, value, m));
    }

    public static string Protocol(string? protocol) => string.IsNullOrEmpty(protocol) ? "TCP" : protocol;
}
