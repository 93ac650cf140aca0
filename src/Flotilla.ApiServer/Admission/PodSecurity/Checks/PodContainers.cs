using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>What checks read of a container, whether init, regular or ephemeral.</summary>
public readonly record struct ContainerView(string Name, V1SecurityContext? SecurityContext, IList<V1ContainerPort>? Ports);

/// <summary>Every container of a pod spec in upstream's visiting order: init containers, containers, ephemeral containers.</summary>
public static class PodContainers
{
    public static IEnumerable<ContainerView> All(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var c in spec.InitContainers ?? [])
        {
            yield return new ContainerView(c.Name ?? string.Empty, c.SecurityContext, c.Ports);
        }

        foreach (var c in spec.Containers ?? [])
        {
            yield return new ContainerView(c.Name ?? string.Empty, c.SecurityContext, c.Ports);
        }

        foreach (var c in spec.EphemeralContainers ?? [])
        {
            yield return new ContainerView(c.Name ?? string.Empty, c.SecurityContext, c.Ports);
        }
    }

    /// <summary>Whether the pod declares the Windows OS (restricted checks that cannot apply there skip it from v1.25).</summary>
    public static bool IsWindows(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Os?.Name == "windows";
    }
}
