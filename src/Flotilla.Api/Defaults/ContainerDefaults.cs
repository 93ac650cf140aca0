using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's SetDefaults_Container (and SetDefaults_EphemeralContainer) with the nested defaults the generated
/// SetObjectDefaults_* apply under a container: ports, env field refs, resource lists, probes, lifecycle hooks.
/// </summary>
public static class ContainerDefaults
{
    public const string TerminationMessagePath = "/dev/termination-log";
    public const string TerminationMessagePolicy = "File";
    public const string PullAlways = "Always";
    public const string PullIfNotPresent = "IfNotPresent";

    public static void Apply(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (string.IsNullOrEmpty(container.ImagePullPolicy))
        {
            container.ImagePullPolicy = PullPolicyFor(container.Image);
        }

        if (string.IsNullOrEmpty(container.TerminationMessagePath))
        {
            container.TerminationMessagePath = TerminationMessagePath;
        }

        if (string.IsNullOrEmpty(container.TerminationMessagePolicy))
        {
            container.TerminationMessagePolicy = TerminationMessagePolicy;
        }

        // Go's ResourceRequirements is a value: upstream always writes "resources: {}".
        container.Resources ??= new V1ResourceRequirements();
        ApplyToParts(container.Ports, container.Env, container.Resources, container.Lifecycle);
        ProbeDefaults.Apply(container.LivenessProbe);
        ProbeDefaults.Apply(container.ReadinessProbe);
        ProbeDefaults.Apply(container.StartupProbe);
    }

    public static void Apply(V1EphemeralContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (string.IsNullOrEmpty(container.ImagePullPolicy))
        {
            container.ImagePullPolicy = PullPolicyFor(container.Image);
        }

        if (string.IsNullOrEmpty(container.TerminationMessagePath))
        {
            container.TerminationMessagePath = TerminationMessagePath;
        }

        if (string.IsNullOrEmpty(container.TerminationMessagePolicy))
        {
            container.TerminationMessagePolicy = TerminationMessagePolicy;
        }

        container.Resources ??= new V1ResourceRequirements();
        ApplyToParts(container.Ports, container.Env, container.Resources, container.Lifecycle);
        ProbeDefaults.Apply(container.LivenessProbe);
        ProbeDefaults.Apply(container.ReadinessProbe);
        ProbeDefaults.Apply(container.StartupProbe);
    }

    /// <summary>Always for a ":latest" or untagged image, IfNotPresent otherwise (digests and unparsable names too).</summary>
    public static string PullPolicyFor(string? image) =>
        ImageReference.Tag(image) == ImageReference.LatestTag ? PullAlways : PullIfNotPresent;

    /// <summary>Downward API field selectors default to the core API version.</summary>
    public static void Apply(V1ObjectFieldSelector? selector)
    {
        if (selector is not null && string.IsNullOrEmpty(selector.ApiVersion))
        {
            selector.ApiVersion = "v1";
        }
    }

    private static void ApplyToParts(
        IList<V1ContainerPort>? ports, IList<V1EnvVar>? env, V1ResourceRequirements resources, V1Lifecycle? lifecycle)
    {
        foreach (var port in ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }
        }

        foreach (var variable in env ?? [])
        {
            Apply(variable.ValueFrom?.FieldRef);
        }

        ResourceListDefaults.RoundUpToMilli(resources);
        ProbeDefaults.Apply(lifecycle);
    }
}
