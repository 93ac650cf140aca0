using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Restricted (from v1.8, when the field appeared): every container sets allowPrivilegeEscalation=false. From v1.25
/// Windows pods, which cannot set it, are exempt.
/// </summary>
public static class AllowPrivilegeEscalationCheck
{
    public const string Id = "allowPrivilegeEscalation";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Restricted, [new(PolicyVersion.V1(8), V1Dot8), new(PolicyVersion.V1(25), V1Dot25)]);

    public static CheckResult V1Dot8(V1ObjectMeta metadata, V1PodSpec spec)
    {
        var bad = PodContainers.All(spec).Where(c => c.SecurityContext?.AllowPrivilegeEscalation != false).Select(c => c.Name).ToList();
        return bad.Count > 0
            ? CheckResult.Forbid("allowPrivilegeEscalation != false", $"{CheckText.Containers(bad)} must set securityContext.allowPrivilegeEscalation=false")
            : CheckResult.Allow;
    }

    public static CheckResult V1Dot25(V1ObjectMeta metadata, V1PodSpec spec) =>
        PodContainers.IsWindows(spec) ? CheckResult.Allow : V1Dot8(metadata, spec);
}
