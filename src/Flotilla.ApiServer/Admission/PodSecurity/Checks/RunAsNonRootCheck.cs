using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Restricted: containers run as non-root, set on the pod or on every container, and nowhere set to false.</summary>
public static class RunAsNonRootCheck
{
    public const string Id = "runAsNonRoot";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Restricted, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var setters = new List<string>();
        var podRunAsNonRoot = false;
        if (spec.SecurityContext?.RunAsNonRoot is { } pod)
        {
            if (pod)
            {
                podRunAsNonRoot = true;
            }
            else
            {
                setters.Add("pod");
            }
        }

        var explicitlyBad = new List<string>();
        var implicitlyBad = new List<string>();
        foreach (var c in PodContainers.All(spec))
        {
            if (c.SecurityContext?.RunAsNonRoot is { } value)
            {
                if (!value)
                {
                    explicitlyBad.Add(c.Name);
                }
            }
            else if (!podRunAsNonRoot)
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
            return CheckResult.Forbid("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false");
        }

        return implicitlyBad.Count > 0
            ? CheckResult.Forbid("runAsNonRoot != true", $"pod or {CheckText.Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true")
            : CheckResult.Allow;
    }
}
