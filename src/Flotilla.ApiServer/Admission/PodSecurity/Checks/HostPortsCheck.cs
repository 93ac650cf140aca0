using System.Globalization;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Baseline: host ports are forbidden.</summary>
public static class HostPortsCheck
{
    public const string Id = "hostPorts";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Baseline, [new(PolicyVersion.V1(0), V1Dot0)]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        var bad = new List<string>();
        var ports = CheckText.NewSet();
        foreach (var c in PodContainers.All(spec))
        {
            var valid = true;
            foreach (var port in c.Ports ?? [])
            {
                if (port.HostPort is { } hostPort && hostPort != 0)
                {
                    valid = false;
                    ports.Add(hostPort.ToString(CultureInfo.InvariantCulture));
                }
            }

            if (!valid)
            {
                bad.Add(c.Name);
            }
        }

        return bad.Count > 0
            ? CheckResult.Forbid(
                "hostPort",
                $"{CheckText.Containers(bad)} {CheckText.Pluralize("uses", "use", bad.Count)} {CheckText.Pluralize("hostPort", "hostPorts", ports.Count)} {string.Join(", ", ports)}")
            : CheckResult.Allow;
    }
}
