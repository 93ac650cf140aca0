using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Baseline: the runtime's default AppArmor profile may not be overridden except by a localhost profile, neither by
/// the appArmorProfile fields nor by the deprecated per-container annotations.
/// </summary>
public static class AppArmorProfileCheck
{
    public const string Id = "appArmorProfile";
    private const string AnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(spec);
        var setters = new List<string>();
        var values = CheckText.NewSet();
        if (spec.SecurityContext?.AppArmorProfile is { } podProfile && !AllowedType(podProfile.Type))
        {
            setters.Add("pod");
            values.Add(podProfile.Type ?? string.Empty);
        }

        var containers = new List<string>();
        foreach (var c in PodContainers.All(spec))
        {
            if (c.SecurityContext?.AppArmorProfile is { } profile && !AllowedType(profile.Type))
            {
                containers.Add(c.Name);
                values.Add(profile.Type ?? string.Empty);
            }
        }

        if (containers.Count > 0)
        {
            setters.Add(CheckText.Containers(containers));
        }

        var annotations = (metadata.Annotations ?? new Dictionary<string, string>())
            .Where(a => a.Key.StartsWith(AnnotationPrefix, StringComparison.Ordinal) && !AllowedAnnotation(a.Value))
            .Select(a => $"{a.Key}={GoQuote.Quote(a.Value ?? string.Empty)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var badValues = values.ToList();
        if (annotations.Count > 0)
        {
            badValues.AddRange(annotations);
            setters.Add(CheckText.Pluralize("annotation", "annotations", annotations.Count));
        }

        return setters.Count > 0
            ? CheckResult.Forbid(
                CheckText.Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValues.Count),
                $"{string.Join(" and ", setters)} must not set AppArmor profile type to {CheckText.JoinQuote(badValues)}")
            : CheckResult.Allow;
    }

    private static bool AllowedType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static bool AllowedAnnotation(string? value) =>
        string.IsNullOrEmpty(value) || value == "runtime/default" || value.StartsWith("localhost/", StringComparison.Ordinal);
}
