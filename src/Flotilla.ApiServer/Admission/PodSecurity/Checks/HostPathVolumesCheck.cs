using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: hostPath volumes are forbidden.</summary>
public static class HostPathVolumesCheck
{
    public const string Id = "hostPathVolumes";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var bad = (spec.Volumes ?? []).Where(v => v.HostPath is not null).Select(v => v.Name ?? string.Empty).ToList();
        return bad.Count > 0
            ? CheckResult.Forbid("hostPath volumes", $"{CheckText.Pluralize("volume", "volumes", bad.Count)} {CheckText.JoinQuote(bad)}")
            : CheckResult.Allow;
    }
}
