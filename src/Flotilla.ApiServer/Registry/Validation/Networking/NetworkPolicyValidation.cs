using Flotilla.Api.Serialization;
using System.Net;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Networking;

/// <summary>Upstream ValidateNetworkPolicySpec (create and update validate the same).</summary>
public static class NetworkPolicyValidation
{
    public static List<FieldError> Validate(V1NetworkPolicy policy)
    {
        var spec = policy.Spec ?? new V1NetworkPolicySpec();
        var path = FieldPath.Root("spec");
        var errors = LabelSelectorValidation.Validate(spec.PodSelector, path.Child("podSelector")).ToList();
        var ingress = spec.Ingress ?? [];
        for (var i = 0; i < ingress.Count; i++)
        {
            var rulePath = path.Child("ingress").Index(i);
            errors.AddRange((ingress[i].Ports ?? []).SelectMany((p, j) => Port(p, rulePath.Child("ports").Index(j))));
            errors.AddRange((ingress[i].FromProperty ?? []).SelectMany((p, j) => Peer(p, rulePath.Child("from").Index(j))));
        }

        var egress = spec.Egress ?? [];
        for (var i = 0; i < egress.Count; i++)
        {
            var rulePath = path.Child("egress").Index(i);
            errors.AddRange((egress[i].Ports ?? []).SelectMany((p, j) => Port(p, rulePath.Child("ports").Index(j))));
            errors.AddRange((egress[i].To ?? []).SelectMany((p, j) => Peer(p, rulePath.Child("to").Index(j))));
        }

        var types = spec.PolicyTypes ?? [];
        if (types.Count > 2)
        {
            errors.Add(FieldError.Invalid(path.Child("policyTypes"), new GoValue("&[]networking.PolicyType{" + string.Join(", ", types.Select(GoQuote.Quote)) + "}"), "may not specify more than two policyTypes"));
            return errors;
        }

        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] is not ("Ingress" or "Egress"))
            {
                errors.Add(FieldError.NotSupported(path.Child("policyTypes").Index(i), types[i], ["Ingress", "Egress"]));
            }
        }

        return errors;
    }

    private static IEnumerable<FieldError> Port(V1NetworkPolicyPort port, FieldPath path)
    {
        if (port.Protocol is { } protocol && protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            yield return FieldError.NotSupported(path.Child("protocol"), protocol, ["TCP", "UDP", "SCTP"]);
        }

        if (port.Port?.Value is not { } value)
        {
            if (port.EndPort is { } orphan)
            {
                yield return FieldError.Invalid(path.Child("endPort"), orphan, "may not be specified when `port` is not specified");
            }

            yield break;
        }

        if (int.TryParse(value, out var number))
        {
            foreach (var message in FormatValidation.IsValidPortNum(number))
            {
                yield return FieldError.Invalid(path.Child("port"), number, message);
            }

            if (port.EndPort is { } endPort)
            {
                if (endPort < number)
                {
                    yield return FieldError.Invalid(path.Child("endPort"), endPort, "must be greater than or equal to `port`");
                }

                foreach (var message in FormatValidation.IsValidPortNum(endPort))
                {
                    yield return FieldError.Invalid(path.Child("endPort"), endPort, message);
                }
            }

            yield break;
        }

        if (port.EndPort is { } namedEnd)
        {
            yield return FieldError.Invalid(path.Child("endPort"), namedEnd, "may not be specified when `port` is non-numeric");
        }

        foreach (var message in FormatValidation.IsValidPortName(value))
        {
            yield return FieldError.Invalid(path.Child("port"), value, message);
        }
    }

    private static IEnumerable<FieldError> Peer(V1NetworkPolicyPeer peer, FieldPath path)
    {
        var errors = new List<FieldError>();
        var count = 0;
        if (peer.PodSelector is not null)
        {
            count++;
            errors.AddRange(LabelSelectorValidation.Validate(peer.PodSelector, path.Child("podSelector")));
        }

        if (peer.NamespaceSelector is not null)
        {
            count++;
            errors.AddRange(LabelSelectorValidation.Validate(peer.NamespaceSelector, path.Child("namespaceSelector")));
        }

        if (peer.IpBlock is { } block)
        {
            count++;
            errors.AddRange(IpBlock(block, path.Child("ipBlock")));
        }

        if (count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a peer"));
        }
        else if (count > 1 && peer.IpBlock is not null)
        {
            errors.Add(FieldError.Forbidden(path, "may not specify both ipBlock and another peer"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> IpBlock(V1IPBlock block, FieldPath path)
    {
        if (string.IsNullOrEmpty(block.Cidr))
        {
            yield return FieldError.Required(path.Child("cidr"));
            yield break;
        }

        foreach (var e in FormatValidation.IsValidCidr(path.Child("cidr"), block.Cidr))
        {
            yield return e;
        }

        if (!FormatValidation.TryParseCidr(block.Cidr, out var network, out var prefix))
        {
            yield break;
        }

        var except = block.Except ?? [];
        for (var i = 0; i < except.Count; i++)
        {
            var exceptPath = path.Child("except").Index(i);
            var cidrErrors = FormatValidation.IsValidCidr(exceptPath, except[i]);
            foreach (var e in cidrErrors)
            {
                yield return e;
            }

            if (cidrErrors.Count == 0 && FormatValidation.TryParseCidr(except[i], out var inner, out var innerPrefix) &&
                (!Contains(network, prefix, inner) || prefix >= innerPrefix))
            {
                yield return FieldError.Invalid(exceptPath, except[i], "must be a strict subset of `cidr`");
            }
        }
    }

    private static bool Contains(IPAddress network, int prefix, IPAddress address)
    {
        var a = network.GetAddressBytes();
        var b = address.GetAddressBytes();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
