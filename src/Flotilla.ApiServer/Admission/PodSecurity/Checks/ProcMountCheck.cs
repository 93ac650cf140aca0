using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: the default /proc masks are required (procMount unset or <c>Default</c>).</summary>
public static class ProcMountCheck
{
    public const string Id = "procMount";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        var bad = new List<string>();
        var types = CheckText.NewSet();
        foreach (var c in PodContainers.All(spec))
        {
            if (c.SecurityContext?.ProcMount is { } procMount && procMount != "Default")
            {
                bad.Add(c.Name);
                types.Add(procMount);
            }
        }

        return bad.Count > 0
            ? CheckResult.Forbid("procMount", $"{CheckText.Containers(bad)} must not set securityContext.procMount to {CheckText.JoinQuote(types)}")
            : CheckResult.Allow;
    }
}
