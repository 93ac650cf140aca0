using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Baseline: the SELinux type is limited to the container types and a custom SELinux user or role is forbidden.
/// v1.31 adds <c>container_engine_t</c> to the allowed types.
/// </summary>
public static class SeLinuxOptionsCheck
{
    public const string Id = "seLinuxOptions";

    private static readonly HashSet<string> AllowedV1Dot0 = new(StringComparer.Ordinal) { "", "container_t", "container_init_t", "container_kvm_t" };
    private static readonly HashSet<string> AllowedV1Dot31 = new(AllowedV1Dot0, StringComparer.Ordinal) { "container_engine_t" };

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0), new(PolicyVersion.V1(31), V1Dot31)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec) => Evaluate(spec, AllowedV1Dot0);

    public static CheckResult V1Dot31(V1ObjectMeta metadata, V1PodSpec spec) => Evaluate(spec, AllowedV1Dot31);

    private static CheckResult Evaluate(V1PodSpec spec, HashSet<string> allowedTypes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var setters = new List<string>();
        var badTypes = CheckText.NewSet();
        var setUser = false;
        var setRole = false;
        bool Valid(V1SELinuxOptions options)
        {
            var valid = true;
            if (!allowedTypes.Contains(options.Type ?? string.Empty))
            {
                valid = false;
                badTypes.Add(options.Type ?? string.Empty);
            }

            if (!string.IsNullOrEmpty(options.User))
            {
                valid = false;
                setUser = true;
            }

            if (!string.IsNullOrEmpty(options.Role))
            {
                valid = false;
                setRole = true;
            }

            return valid;
        }

        if (spec.SecurityContext?.SeLinuxOptions is { } podOptions && !Valid(podOptions))
        {
            setters.Add("pod");
        }

        var containers = PodContainers.All(spec).Where(c => c.SecurityContext?.SeLinuxOptions is { } o && !Valid(o)).Select(c => c.Name).ToList();
        if (containers.Count > 0)
        {
            setters.Add(CheckText.Containers(containers));
        }

        if (setters.Count == 0)
        {
            return CheckResult.Allow;
        }

        var data = new List<string>();
        if (badTypes.Count > 0)
        {
            data.Add($"{CheckText.Pluralize("type", "types", badTypes.Count)} {CheckText.JoinQuote(badTypes)}");
        }

        if (setUser)
        {
            data.Add("user may not be set");
        }

        if (setRole)
        {
            data.Add("role may not be set");
        }

        return CheckResult.Forbid("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}");
    }
}
