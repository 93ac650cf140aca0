using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Restricted (from v1.19, when the fields appeared): a RuntimeDefault or Localhost seccomp profile is required, on the
/// pod or on every container; it replaces the baseline seccomp check. From v1.25 Windows pods are exempt.
/// </summary>
public static class SeccompProfileRestrictedCheck
{
    public const string Id = "seccompProfile_restricted";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Restricted,
    [
        new(PolicyVersion.V1(19), V1Dot19, [SeccompProfileBaselineCheck.Id]),
        new(PolicyVersion.V1(25), V1Dot25, [SeccompProfileBaselineCheck.Id]),
    ]);

    public static CheckResult V1Dot19(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var setters = new List<string>();
        var values = CheckText.NewSet();
        var podSet = false;
        if (spec.SecurityContext?.SeccompProfile is { } podProfile)
        {
            if (SeccompProfileBaselineCheck.ValidType(podProfile.Type))
            {
                podSet = true;
            }
            else
            {
                setters.Add("pod");
                values.Add(podProfile.Type ?? string.Empty);
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var c in PodContainers.All(spec))
        {
            if (c.SecurityContext?.SeccompProfile is { } profile)
            {
                if (!SeccompProfileBaselineCheck.ValidType(profile.Type))
                {
                    explicitlyBad.Add(c.Name);
                    values.Add(profile.Type ?? string.Empty);
                }
            }
            else if (!podSet)
            {
                implicitlyBad.Add(c.Name);
            }
        }

        if (explicitlyBad.Count > 0)
        {
            setters.Add(CheckText.Containers(explicitlyBad));
        }

        if (setters.Count > 0)
        {
            return CheckResult.Forbid("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {CheckText.JoinQuote(values)}");
        }

        return implicitlyBad.Count > 0
            ? CheckResult.Forbid("seccompProfile", $"pod or {CheckText.Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"")
            : CheckResult.Allow;
    }

    public static CheckResult V1Dot25(V1ObjectMeta metadata, V1PodSpec spec) =>
        PodContainers.IsWindows(spec) ? CheckResult.Allow : V1Dot19(metadata, spec);
}
