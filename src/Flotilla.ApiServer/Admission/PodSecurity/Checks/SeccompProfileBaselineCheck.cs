using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Baseline: a seccomp profile, where set, is the runtime default or a localhost one. Before v1.19 the alpha
/// annotations are checked; from v1.19 the securityContext.seccompProfile fields.
/// </summary>
public static class SeccompProfileBaselineCheck
{
    public const string Id = "seccompProfile_baseline";
    private const string PodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string ContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0), new(PolicyVersion.V1(19), V1Dot19)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var annotations = metadata.Annotations ?? new Dictionary<string, string>();
        var forbidden = CheckText.NewSet();
        if (annotations.TryGetValue(PodAnnotation, out var value) && !ValidAnnotation(value))
        {
            forbidden.Add($"{PodAnnotation}={GoQuote.Quote(value ?? string.Empty)}");
        }

        foreach (var c in PodContainers.All(spec))
        {
            var key = ContainerAnnotationPrefix + c.Name;
            if (annotations.TryGetValue(key, out value) && !ValidAnnotation(value))
            {
                forbidden.Add($"{key}={GoQuote.Quote(value ?? string.Empty)}");
            }
        }

        return forbidden.Count > 0
            ? CheckResult.Forbid("seccompProfile", $"forbidden {CheckText.Pluralize("annotation", "annotations", forbidden.Count)} {string.Join(", ", forbidden)}")
            : CheckResult.Allow;
    }

    public static CheckResult V1Dot19(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var setters = new List<string>();
        var values = CheckText.NewSet();
        if (spec.SecurityContext?.SeccompProfile is { } podProfile && !ValidType(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type ?? string.Empty);
        }

        var containers = new List<string>();
        foreach (var c in PodContainers.All(spec))
        {
            if (c.SecurityContext?.SeccompProfile is { } profile && !ValidType(profile.Type))
            {
                containers.Add(c.Name);
                values.Add(profile.Type ?? string.Empty);
            }
        }

        if (containers.Count > 0)
        {
            setters.Add(CheckText.Containers(containers));
        }

        return setters.Count > 0
            ? CheckResult.Forbid("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {CheckText.JoinQuote(values)}")
            : CheckResult.Allow;
    }

    /// <summary>The two acceptable profile types (shared with the restricted check).</summary>
    public static bool ValidType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static bool ValidAnnotation(string? value) =>
        value is "runtime/default" or "docker/default" || (value?.StartsWith("localhost/", StringComparison.Ordinal) ?? false);
}
