using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Restricted (from v1.22): containers drop ALL capabilities and may add back only NET_BIND_SERVICE; it replaces the
/// baseline capabilities check. From v1.25 Windows pods are exempt. Before v1.22 the baseline check applies.
/// </summary>
public static class CapabilitiesRestrictedCheck
{
    public const string Id = "capabilities_restricted";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Restricted,
    [
        new(PolicyVersion.V1(22), V1Dot22, [CapabilitiesBaselineCheck.Id]),
        new(PolicyVersion.V1(25), V1Dot25, [CapabilitiesBaselineCheck.Id]),
    ]);

    public static CheckResult V1Dot22(V1ObjectMeta metadata, V1PodSpec spec)
    {
        var missingDropAll = new List<string>();
        var addingForbidden = new List<string>();
        var forbidden = CheckText.NewSet();
        foreach (var c in PodContainers.All(spec))
        {
            var capabilities = c.SecurityContext?.Capabilities;
            if (capabilities is null)
            {
                missingDropAll.Add(c.Name);
                continue;
            }

            if (!(capabilities.Drop ?? []).Contains("ALL"))
            {
                missingDropAll.Add(c.Name);
            }

            var added = (capabilities.Add ?? []).Where(a => a != "NET_BIND_SERVICE").ToList();
            if (added.Count > 0)
            {
                addingForbidden.Add(c.Name);
                forbidden.UnionWith(added);
            }
        }

        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{CheckText.Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (addingForbidden.Count > 0)
        {
            details.Add($"{CheckText.Containers(addingForbidden)} must not include {CheckText.JoinQuote(forbidden)} in securityContext.capabilities.add");
        }

        return details.Count > 0 ? CheckResult.Forbid("unrestricted capabilities", string.Join("; ", details)) : CheckResult.Allow;
    }

    public static CheckResult V1Dot25(V1ObjectMeta metadata, V1PodSpec spec) =>
        PodContainers.IsWindows(spec) ? CheckResult.Allow : V1Dot22(metadata, spec);
}
