using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Baseline: only the "safe" sysctls (namespaced and isolated between pods) may be set. The safe set grew in v1.27,
/// v1.29 and v1.32.
/// </summary>
public static class SysctlsCheck
{
    public const string Id = "sysctls";

    private static readonly HashSet<string> AllowedV1Dot0 = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    };

    private static readonly HashSet<string> AllowedV1Dot27 = new(AllowedV1Dot0, StringComparer.Ordinal) { "net.ipv4.ip_local_reserved_ports" };

    private static readonly HashSet<string> AllowedV1Dot29 = new(AllowedV1Dot27, StringComparer.Ordinal)
    {
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    };

    private static readonly HashSet<string> AllowedV1Dot32 = new(AllowedV1Dot29, StringComparer.Ordinal) { "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem" };

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline,
    [
        new(PolicyVersion.V1(0), V1Dot0),
        new(PolicyVersion.V1(27), V1Dot27),
        new(PolicyVersion.V1(29), V1Dot29),
        new(PolicyVersion.V1(32), V1Dot32),
    ]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec) => Evaluate(spec, AllowedV1Dot0);

    public static CheckResult V1Dot27(V1ObjectMeta metadata, V1PodSpec spec) => Evaluate(spec, AllowedV1Dot27);

    public static CheckResult V1Dot29(V1ObjectMeta metadata, V1PodSpec spec) => Evaluate(spec, AllowedV1Dot29);

    public static CheckResult V1Dot32(V1ObjectMeta metadata, V1PodSpec spec) => Evaluate(spec, AllowedV1Dot32);

    private static CheckResult Evaluate(V1PodSpec spec, HashSet<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var forbidden = (spec.SecurityContext?.Sysctls ?? []).Select(s => s.Name ?? string.Empty).Where(n => !allowed.Contains(n)).ToList();
        return forbidden.Count > 0 ? CheckResult.Forbid("forbidden sysctls", string.Join(", ", forbidden)) : CheckResult.Allow;
    }
}
