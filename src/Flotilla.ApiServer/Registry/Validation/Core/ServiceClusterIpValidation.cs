using System.Net;
using System.Net.Sockets;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateServiceClusterIPsRelatedFields and the dual-stack upgrade/downgrade rules on update.</summary>
public static class ServiceClusterIpValidation
{
    private static readonly string[] Families = ["IPv4", "IPv6"];
    private static readonly string[] FamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];

    /// <summary>
    /// The cluster IPs as upstream's strategy normalises them before validating: clusterIPs, or clusterIP alone when
    /// only that is set.
    /// </summary>
    public static IReadOnlyList<string> ClusterIps(V1ServiceSpec spec) =>
        spec.ClusterIPs is { Count: > 0 } ips ? [.. ips] : string.IsNullOrEmpty(spec.ClusterIP) ? [] : [spec.ClusterIP];

    public static IEnumerable<FieldError> Validate(V1ServiceSpec spec, string type, IReadOnlyList<string> clusterIps, FieldPath path)
    {
        if (type == "ExternalName")
        {
            yield break;
        }

        var ipsPath = path.Child("clusterIPs");
        if (!string.IsNullOrEmpty(spec.ClusterIP) && clusterIps.Count > 0 && clusterIps[0] != spec.ClusterIP)
        {
            yield return FieldError.Invalid(ipsPath, GoSyntax.StringSlice(clusterIps), "first value must match `clusterIP`");
        }

        var families = spec.IpFamilies ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < families.Count; i++)
        {
            if (!Families.Contains(families[i]))
            {
                yield return FieldError.NotSupported(path.Child("ipFamilies").Index(i), families[i], Families);
            }

            if (!seen.Add(families[i]))
            {
                yield return FieldError.Duplicate(path.Child("ipFamilies").Index(i), families[i]);
            }
        }

        if (spec.IpFamilyPolicy is { } policy && !FamilyPolicies.Contains(policy))
        {
            yield return FieldError.NotSupported(path.Child("ipFamilyPolicy"), policy, FamilyPolicies);
        }

        var invalid = false;
        var parsed = new List<IPAddress>();
        for (var i = 0; i < clusterIps.Count; i++)
        {
            if (i == 0 && clusterIps[0] == "None")
            {
                if (clusterIps.Count > 1)
                {
                    invalid = true;
                    yield return FieldError.Invalid(ipsPath, GoSyntax.StringSlice(clusterIps), "'None' must be the first and only value");
                }

                continue;
            }

            if (FormatValidation.TryParseIp(clusterIps[i], out var ip))
            {
                parsed.Add(ip);
                continue;
            }

            invalid = true;
            foreach (var e in FormatValidation.IsValidIp(ipsPath.Index(i), clusterIps[i]))
            {
                yield return e;
            }
        }

        if (clusterIps.Count > 2)
        {
            yield return FieldError.Invalid(ipsPath, GoSyntax.StringSlice(clusterIps), "may only hold up to 2 values");
        }

        if (invalid)
        {
            yield break;
        }

        if (parsed.Count == 2 && parsed[0].AddressFamily == parsed[1].AddressFamily)
        {
            yield return FieldError.Invalid(ipsPath, GoSyntax.StringSlice(clusterIps), "may specify no more than one IP for each IP family");
        }

        if (clusterIps is not ["None"])
        {
            for (var i = 0; i < Math.Min(parsed.Count, families.Count); i++)
            {
                var isV6 = parsed[i].AddressFamily == AddressFamily.InterNetworkV6;
                if (families[i] == "IPv4" && isV6)
                {
                    yield return FieldError.Invalid(ipsPath.Index(i), clusterIps[i], $"expected an IPv4 value as indicated by `ipFamilies[{i}]`");
                }

                if (families[i] == "IPv6" && !isV6)
                {
                    yield return FieldError.Invalid(ipsPath.Index(i), clusterIps[i], $"expected an IPv6 value as indicated by `ipFamilies[{i}]`");
                }
            }
        }
    }

    /// <summary>
    /// Cluster IPs and IP families are fixed once set, except adding or releasing the secondary one. An update that
    /// leaves them unset keeps the allocated values (upstream's patchAllocatedValues), so that is no change.
    /// </summary>
    public static List<FieldError> ValidateUpdate(V1ServiceSpec spec, V1ServiceSpec old)
    {
        var errors = new List<FieldError>();
        var type = ServiceValidation.Type(spec);
        var oldType = ServiceValidation.Type(old);
        if (type == "ExternalName" || oldType == "ExternalName")
        {
            return errors;
        }

        var ips = ClusterIps(spec);
        var oldIps = ClusterIps(old);
        if (ips.Count == 0 || (ips is ["None"] && oldIps is ["None"]))
        {
            return errors;
        }

        var path = FieldPath.Root("spec");
        var ipsValue = GoSyntax.StringSlice(ips);
        if (ips.Count == oldIps.Count)
        {
            for (var i = 0; i < oldIps.Count; i++)
            {
                if (oldIps[i] != ips[i])
                {
                    errors.Add(FieldError.Invalid(path.Child("clusterIPs").Index(i), ipsValue, "may not change once set"));
                }
            }
        }
        else if (ips.Count < oldIps.Count)
        {
            if (ips[0] != oldIps[0])
            {
                errors.Add(FieldError.Invalid(path.Child("clusterIPs").Index(0), ipsValue, "may not change once set"));
            }

            if (ips.Count == 1 && spec.IpFamilyPolicy != "SingleStack")
            {
                errors.Add(FieldError.Invalid(path.Child("ipFamilyPolicy"), (object?)spec.IpFamilyPolicy ?? GoValue.Null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        }
        else if (oldIps.Count > 0 && ips[0] != oldIps[0])
        {
            errors.Add(FieldError.Invalid(path.Child("clusterIPs").Index(0), ipsValue, "may not change once set"));
        }

        var families = spec.IpFamilies ?? [];
        var oldFamilies = old.IpFamilies ?? [];
        if (families.Count > 0 && ips is not ["None"] && oldIps is not ["None"])
        {
            if (families.Count == oldFamilies.Count && !families.SequenceEqual(oldFamilies))
            {
                errors.Add(FieldError.Invalid(path.Child("ipFamilies").Index(0), GoSyntax.StringSlice(families), "may not change once set"));
            }
            else if (families.Count != oldFamilies.Count && oldFamilies.Count > 0 && families[0] != oldFamilies[0])
            {
                errors.Add(FieldError.Invalid(path.Child("ipFamilies").Index(0), ipsValue, "may not change once set"));
            }
        }

        return errors;
    }

    /// <summary>Upstream ValidateNonSpecialIP: no unspecified, loopback or link-local addresses.</summary>
    public static IEnumerable<FieldError> NonSpecialIp(string value, FieldPath path)
    {
        if (!FormatValidation.TryParseIp(value, out var ip))
        {
            yield return FieldError.Invalid(path, value, "must be a valid IP address");
            yield break;
        }

        var bytes = ip.GetAddressBytes();
        var v4 = ip.AddressFamily == AddressFamily.InterNetwork;
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            yield return FieldError.Invalid(path, value, $"may not be unspecified ({value})");
        }

        if (IPAddress.IsLoopback(ip))
        {
            yield return FieldError.Invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
        }

        if (v4 ? bytes[0] == 169 && bytes[1] == 254 : ip.IsIPv6LinkLocal)
        {
            yield return FieldError.Invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }

        if (v4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xff && (bytes[1] & 0x0f) == 0x02)
        {
            yield return FieldError.Invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
    }
}
