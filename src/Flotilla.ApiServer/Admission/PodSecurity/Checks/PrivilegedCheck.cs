using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: privileged containers disable most security mechanisms and are forbidden.</summary>
public static class PrivilegedCheck
{
    public const string Id = "privileged";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        var bad = PodContainers.All(spec).Where(c => c.SecurityContext?.Privileged == true).Select(c => c.Name).ToList();
        return bad.Count > 0
            ? CheckResult.Forbid("privileged", $"{CheckText.Containers(bad)} must not set securityContext.privileged=true")
            : CheckResult.Allow;
    }
}
