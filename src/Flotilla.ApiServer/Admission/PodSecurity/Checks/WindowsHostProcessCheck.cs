using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: Windows HostProcess containers (privileged access to the Windows host) are forbidden.</summary>
public static class WindowsHostProcessCheck
{
    public const string Id = "windowsHostProcess";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var containers = PodContainers.All(spec).Where(c => c.SecurityContext?.WindowsOptions?.HostProcess == true).Select(c => c.Name).ToList();
        var setters = new List<string>();
        if (spec.SecurityContext?.WindowsOptions?.HostProcess == true)
        {
            setters.Add("pod");
        }

        if (containers.Count > 0)
        {
            setters.Add(CheckText.Containers(containers));
        }

        return setters.Count > 0
            ? CheckResult.Forbid("hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true")
            : CheckResult.Allow;
    }
}
