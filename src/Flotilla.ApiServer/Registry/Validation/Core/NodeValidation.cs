using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateNode and ValidateNodeUpdate.</summary>
public static class NodeValidation
{
    public static List<FieldError> Validate(V1Node node)
    {
        // As upstream, taints are reported under metadata (its field path starts there).
        var errors = TolerationValidation.Taints(node.Spec?.Taints, FieldPath.Root("metadata").Child("taints")).ToList();
        errors.AddRange(Resources(node));
        var cidrs = node.Spec?.PodCIDRs ?? [];
        var cidrsPath = FieldPath.Root("spec").Child("podCIDRs");
        for (var i = 0; i < cidrs.Count; i++)
        {
            errors.AddRange(FormatValidation.IsValidCidr(cidrsPath.Index(i), cidrs[i]));
        }

        if (cidrs.Count > 1)
        {
            var families = cidrs.Select(c => FormatValidation.TryParseCidr(c, out var ip, out _) ? ip.AddressFamily.ToString() : c).ToList();
            if (cidrs.Count > 2 || families.Distinct().Count() != families.Count)
            {
                errors.Add(FieldError.Invalid(cidrsPath, GoSyntax.StringSlice(cidrs), "may specify no more than one CIDR for each IP family"));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < cidrs.Count; i++)
            {
                if (!seen.Add(cidrs[i]))
                {
                    errors.Add(FieldError.Duplicate(cidrsPath.Index(i), cidrs[i]));
                }
            }
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Node node, V1Node old)
    {
        var errors = new List<FieldError>();
        errors.AddRange(Resources(node));
        var addresses = node.Status?.Addresses ?? [];
        var seen = new HashSet<(string?, string?)>();
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!seen.Add((addresses[i].Type, addresses[i].Address)))
            {
                errors.Add(FieldError.Duplicate(
                    FieldPath.Root("status").Child("addresses").Index(i),
                    new GoValue($"core.NodeAddress{{Type:{GoQuote.Quote(addresses[i].Type ?? string.Empty)}, Address:{GoQuote.Quote(addresses[i].Address ?? string.Empty)}}}")));
            }
        }

        // The controller manager may assign a pod CIDR and a provider ID once; they never change after that.
        var oldCidrs = old.Spec?.PodCIDRs ?? [];
        var cidrs = node.Spec?.PodCIDRs ?? [];
        if (oldCidrs.Count > 0 && (oldCidrs.Count != cidrs.Count || !oldCidrs.SequenceEqual(cidrs)))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"));
        }

        if (!string.IsNullOrEmpty(old.Spec?.ProviderID) && old.Spec.ProviderID != node.Spec?.ProviderID)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("providerID"), "node updates may not change providerID except from \"\" to valid"));
        }

        errors.AddRange(TolerationValidation.Taints(node.Spec?.Taints, FieldPath.Root("metadata").Child("taints")));
        if (node.Spec?.ExternalID != old.Spec?.ExternalID)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("externalID"), "may not be updated"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> Resources(V1Node node)
    {
        foreach (var (section, resources) in new[] { ("capacity", node.Status?.Capacity), ("allocatable", node.Status?.Allocatable) })
        {
            foreach (var (name, quantity) in (resources ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                foreach (var e in ResourceRequirementsValidation.ValidateQuantity(name, quantity, FieldPath.Root("status").Child(section, name)))
                {
                    yield return e;
                }
            }
        }
    }
}
