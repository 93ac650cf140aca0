using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: containers may add only capabilities from the container runtime's default set.</summary>
public static class CapabilitiesBaselineCheck
{
    public const string Id = "capabilities_baseline";

    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        var bad = new List<string>();
        var added = CheckText.NewSet();
        foreach (var c in PodContainers.All(spec))
        {
            var valid = true;
            foreach (var capability in c.SecurityContext?.Capabilities?.Add ?? [])
            {
                if (!Allowed.Contains(capability))
                {
                    valid = false;
                    added.Add(capability);
                }
            }

            if (!valid)
            {
                bad.Add(c.Name);
            }
        }

        return bad.Count > 0
            ? CheckResult.Forbid("non-default capabilities", $"{CheckText.Containers(bad)} must not include {CheckText.JoinQuote(added)} in securityContext.capabilities.add")
            : CheckResult.Allow;
    }
}
