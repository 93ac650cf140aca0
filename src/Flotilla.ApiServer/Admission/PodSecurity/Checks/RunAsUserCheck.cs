using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Restricted (from v1.23): neither the pod nor a container sets runAsUser=0.</summary>
public static class RunAsUserCheck
{
    public const string Id = "runAsUser";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Restricted, [new(PolicyVersion.V1(23), V1Dot23)]);

    public static CheckResult V1Dot23(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var setters = new List<string>();
        if (spec.SecurityContext?.RunAsUser == 0)
        {
            setters.Add("pod");
        }

        var containers = PodContainers.All(spec).Where(c => c.SecurityContext?.RunAsUser == 0).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add(CheckText.Containers(containers));
        }

        return setters.Count > 0 ? CheckResult.Forbid("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0") : CheckResult.Allow;
    }
}
