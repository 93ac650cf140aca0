using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream validateDNSPolicy, validatePodDNSConfig and ValidateHostAliases.</summary>
public static class PodDnsValidation
{
    private const int MaxNameservers = 3;
    private const int MaxSearchPaths = 32;
    private const int MaxSearchListChars = 2048;

    public static IEnumerable<FieldError> Policy(V1PodSpec spec, FieldPath path)
    {
        var policy = DnsPolicy(spec);
        return policy is "ClusterFirstWithHostNet" or "ClusterFirst" or "Default" or "None"
            ? []
            : [FieldError.NotSupported(path.Child("dnsPolicy"), policy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])];
    }

    public static IEnumerable<FieldError> Config(V1PodSpec spec, FieldPath path) => Config(spec.DnsConfig, DnsPolicy(spec), path.Child("dnsConfig"));

    public static IEnumerable<FieldError> HostAliases(IList<V1HostAlias>? aliases, FieldPath path)
    {
        for (var i = 0; i < (aliases?.Count ?? 0); i++)
        {
            foreach (var e in FormatValidation.IsValidIp(path.Index(i).Child("ip"), aliases![i].Ip ?? string.Empty))
            {
                yield return e;
            }

            var hostnames = aliases[i].Hostnames ?? [];
            for (var j = 0; j < hostnames.Count; j++)
            {
                foreach (var e in FieldChecks.Dns1123Subdomain(hostnames[j], path.Index(i).Child("hostnames").Index(j)))
                {
                    yield return e;
                }
            }
        }
    }

    // dnsPolicy defaults to ClusterFirst.
    private static string DnsPolicy(V1PodSpec spec) => string.IsNullOrEmpty(spec.DnsPolicy) ? "ClusterFirst" : spec.DnsPolicy;

    private static IEnumerable<FieldError> Config(V1PodDNSConfig? config, string policy, FieldPath path)
    {
        if (policy == "None")
        {
            if (config is null)
            {
                yield return FieldError.Required(path, "must provide `dnsConfig` when `dnsPolicy` is None");
                yield break;
            }

            if (config.Nameservers is not { Count: > 0 })
            {
                yield return FieldError.Required(path.Child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None");
                yield break;
            }
        }

        if (config is null)
        {
            yield break;
        }

        var nameservers = config.Nameservers ?? [];
        if (nameservers.Count > MaxNameservers)
        {
            yield return FieldError.Invalid(path.Child("nameservers"), GoSyntax.StringSlice(nameservers), $"must not have more than {MaxNameservers} nameservers");
        }

        for (var i = 0; i < nameservers.Count; i++)
        {
            foreach (var e in FormatValidation.IsValidIp(path.Child("nameservers").Index(i), nameservers[i]))
            {
                yield return e;
            }
        }

        var searches = config.Searches ?? [];
        if (searches.Count > MaxSearchPaths)
        {
            yield return FieldError.Invalid(path.Child("searches"), GoSyntax.StringSlice(searches), $"must not have more than {MaxSearchPaths} search paths");
        }

        if (string.Join(" ", searches).Length > MaxSearchListChars)
        {
            yield return FieldError.Invalid(path.Child("searches"), GoSyntax.StringSlice(searches), $"must not have more than {MaxSearchListChars} characters (including spaces) in the search list");
        }

        for (var i = 0; i < searches.Count; i++)
        {
            foreach (var e in FieldChecks.Dns1123Subdomain(searches[i].EndsWith('.') ? searches[i][..^1] : searches[i], path.Child("searches").Index(i)))
            {
                yield return e;
            }
        }

        var options = config.Options ?? [];
        for (var i = 0; i < options.Count; i++)
        {
            if (string.IsNullOrEmpty(options[i].Name))
            {
                yield return FieldError.Required(path.Child("options").Index(i), "must not be empty");
            }
        }
    }
}
