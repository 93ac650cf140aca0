using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: sharing the host's network, PID or IPC namespace is forbidden (hostNetwork, hostPID, hostIPC).</summary>
public static class HostNamespacesCheck
{
    public const string Id = "hostNamespaces";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var shared = new List<string>();
        if (spec.HostNetwork == true)
        {
            shared.Add("hostNetwork=true");
        }

        if (spec.HostPID == true)
        {
            shared.Add("hostPID=true");
        }

        if (spec.HostIPC == true)
        {
            shared.Add("hostIPC=true");
        }

        return shared.Count > 0 ? CheckResult.Forbid("host namespaces", string.Join(", ", shared)) : CheckResult.Allow;
    }
}
