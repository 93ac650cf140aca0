using Flotilla.ApiServer.Admission.PodSecurity;
using Flotilla.ApiServer.Admission.PodSecurity.Checks;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

/// <summary>
/// Upstream's fixtures (pod-security-admission/test/fixtures_*.go): for each check, changes to the minimal pod of its
/// level that must still pass that level, and ones that must fail it (and every stricter level).
/// </summary>
public sealed class FixtureTests
{
    private static readonly Dictionary<string, (PodSecurityLevel Level, bool Passes, Action<V1Pod> Change)> Fixtures = new()
    {
        ["privileged pass: false"] = (PodSecurityLevel.Baseline, true, p => Sc(p.Spec.Containers[0]).Privileged = false),
        ["privileged fail: container"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.Containers[0]).Privileged = true),
        ["privileged fail: init container"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.InitContainers[0]).Privileged = true),
        ["hostNamespaces pass: false"] = (PodSecurityLevel.Baseline, true, p => (p.Spec.HostIPC, p.Spec.HostNetwork, p.Spec.HostPID) = (false, false, false)),
        ["hostNamespaces fail: hostIPC"] = (PodSecurityLevel.Baseline, false, p => p.Spec.HostIPC = true),
        ["hostNamespaces fail: hostNetwork"] = (PodSecurityLevel.Baseline, false, p => p.Spec.HostNetwork = true),
        ["hostNamespaces fail: hostPID"] = (PodSecurityLevel.Baseline, false, p => p.Spec.HostPID = true),
        ["hostPathVolumes fail"] = (PodSecurityLevel.Baseline, false, p => p.Spec.Volumes = [new V1Volume { Name = "a", HostPath = new V1HostPathVolumeSource { Path = "/a" } }]),
        ["hostPorts pass: container port only"] = (PodSecurityLevel.Baseline, true, p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 12345 }, new V1ContainerPort { ContainerPort = 2, HostPort = 0 }]),
        ["hostPorts fail: container"] = (PodSecurityLevel.Baseline, false, p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 12345, HostPort = 12345 }]),
        ["hostPorts fail: init container"] = (PodSecurityLevel.Baseline, false, p => p.Spec.InitContainers[0].Ports = [new V1ContainerPort { ContainerPort = 12346, HostPort = 12346 }]),
        ["capabilities_baseline pass: default set"] = (PodSecurityLevel.Baseline, true, p => Sc(p.Spec.Containers[0]).Capabilities = new V1Capabilities { Add = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"] }),
        ["capabilities_baseline fail: NET_RAW"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.Containers[0]).Capabilities = new V1Capabilities { Add = ["NET_RAW"] }),
        ["capabilities_baseline fail: init SYS_ADMIN"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.InitContainers[0]).Capabilities = new V1Capabilities { Add = ["SYS_ADMIN"] }),
        ["appArmorProfile pass: RuntimeDefault and Localhost"] = (PodSecurityLevel.Baseline, true, p =>
        {
            PodSc(p).AppArmorProfile = new V1AppArmorProfile { Type = "RuntimeDefault" };
            Sc(p.Spec.Containers[0]).AppArmorProfile = new V1AppArmorProfile { Type = "Localhost", LocalhostProfile = "p" };
            p.Metadata.Annotations = new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/container1"] = "localhost/foo" };
        }),
        ["appArmorProfile fail: unconfined annotation"] = (PodSecurityLevel.Baseline, false, p => p.Metadata.Annotations = new Dictionary<string, string> { ["container.apparmor.security.beta.kubernetes.io/container1"] = "unconfined" }),
        ["appArmorProfile fail: Unconfined container"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.Containers[0]).AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" }),
        ["seLinuxOptions pass: container types and level"] = (PodSecurityLevel.Baseline, true, p =>
        {
            PodSc(p).SeLinuxOptions = new V1SELinuxOptions { Type = "container_t", Level = "s0:c1,c2" };
            Sc(p.Spec.Containers[0]).SeLinuxOptions = new V1SELinuxOptions { Type = "container_init_t" };
            Sc(p.Spec.InitContainers[0]).SeLinuxOptions = new V1SELinuxOptions { Type = "container_kvm_t" };
        }),
        ["seLinuxOptions fail: type"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.Containers[0]).SeLinuxOptions = new V1SELinuxOptions { Type = "somevalue" }),
        ["seLinuxOptions fail: user"] = (PodSecurityLevel.Baseline, false, p => PodSc(p).SeLinuxOptions = new V1SELinuxOptions { User = "somevalue" }),
        ["seLinuxOptions fail: role"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.InitContainers[0]).SeLinuxOptions = new V1SELinuxOptions { Role = "somevalue" }),
        ["procMount pass: Default"] = (PodSecurityLevel.Baseline, true, p => Sc(p.Spec.Containers[0]).ProcMount = "Default"),
        ["procMount fail: Unmasked"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.InitContainers[0]).ProcMount = "Unmasked"),
        ["seccompProfile_baseline pass: RuntimeDefault and Localhost"] = (PodSecurityLevel.Baseline, true, p =>
        {
            PodSc(p).SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" };
            Sc(p.Spec.Containers[0]).SeccompProfile = new V1SeccompProfile { Type = "Localhost", LocalhostProfile = "p" };
        }),
        ["seccompProfile_baseline fail: Unconfined pod"] = (PodSecurityLevel.Baseline, false, p => PodSc(p).SeccompProfile = new V1SeccompProfile { Type = "Unconfined" }),
        ["seccompProfile_baseline fail: Unconfined container"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.Containers[0]).SeccompProfile = new V1SeccompProfile { Type = "Unconfined" }),
        ["sysctls pass: safe set"] = (PodSecurityLevel.Baseline, true, p => PodSc(p).Sysctls =
        [
            .. new[] { "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem" }.Select(n => new V1Sysctl { Name = n, Value = "0" }),
        ]),
        ["sysctls fail: unsafe"] = (PodSecurityLevel.Baseline, false, p => PodSc(p).Sysctls = [new V1Sysctl { Name = "othersysctl", Value = "other" }]),
        ["windowsHostProcess pass: false"] = (PodSecurityLevel.Baseline, true, p => Sc(p.Spec.Containers[0]).WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = false }),
        ["windowsHostProcess fail: pod"] = (PodSecurityLevel.Baseline, false, p => PodSc(p).WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true }),
        ["windowsHostProcess fail: container"] = (PodSecurityLevel.Baseline, false, p => Sc(p.Spec.Containers[0]).WindowsOptions = new V1WindowsSecurityContextOptions { HostProcess = true }),
        ["allowPrivilegeEscalation fail: unset"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.Containers[0]).AllowPrivilegeEscalation = null),
        ["allowPrivilegeEscalation fail: true"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.InitContainers[0]).AllowPrivilegeEscalation = true),
        ["capabilities_restricted pass: add NET_BIND_SERVICE"] = (PodSecurityLevel.Restricted, true, p => Sc(p.Spec.Containers[0]).Capabilities.Add = ["NET_BIND_SERVICE"]),
        ["capabilities_restricted fail: no drop"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.Containers[0]).Capabilities = null),
        ["capabilities_restricted fail: drop other"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.InitContainers[0]).Capabilities.Drop = ["SYS_TIME"]),
        ["capabilities_restricted fail: add default capability"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.Containers[0]).Capabilities.Add = ["CHOWN"]),
        ["restrictedVolumes pass: allowed sources"] = (PodSecurityLevel.Restricted, true, p => p.Spec.Volumes =
        [
            new V1Volume { Name = "a", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "b", Secret = new V1SecretVolumeSource { SecretName = "s" } },
            new V1Volume { Name = "c", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "c" } },
            new V1Volume { Name = "d", DownwardAPI = new V1DownwardAPIVolumeSource() },
            new V1Volume { Name = "e", ConfigMap = new V1ConfigMapVolumeSource { Name = "c" } },
            new V1Volume { Name = "f", Projected = new V1ProjectedVolumeSource() },
            new V1Volume { Name = "g", Csi = new V1CSIVolumeSource { Driver = "d" } },
            new V1Volume { Name = "h", Ephemeral = new V1EphemeralVolumeSource() },
        ]),
        ["restrictedVolumes fail: gcePersistentDisk"] = (PodSecurityLevel.Restricted, false, p => p.Spec.Volumes = [new V1Volume { Name = "a", GcePersistentDisk = new V1GCEPersistentDiskVolumeSource { PdName = "p" } }]),
        ["restrictedVolumes fail: nfs"] = (PodSecurityLevel.Restricted, false, p => p.Spec.Volumes = [new V1Volume { Name = "a", Nfs = new V1NFSVolumeSource { Server = "s", Path = "/" } }]),
        ["restrictedVolumes fail: hostPath"] = (PodSecurityLevel.Restricted, false, p => p.Spec.Volumes = [new V1Volume { Name = "a", HostPath = new V1HostPathVolumeSource { Path = "/" } }]),
        ["runAsNonRoot pass: every container"] = (PodSecurityLevel.Restricted, true, p =>
        {
            PodSc(p).RunAsNonRoot = null;
            Sc(p.Spec.Containers[0]).RunAsNonRoot = true;
            Sc(p.Spec.InitContainers[0]).RunAsNonRoot = true;
        }),
        ["runAsNonRoot fail: unset"] = (PodSecurityLevel.Restricted, false, p => PodSc(p).RunAsNonRoot = null),
        ["runAsNonRoot fail: pod false"] = (PodSecurityLevel.Restricted, false, p => PodSc(p).RunAsNonRoot = false),
        ["runAsNonRoot fail: container false"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.InitContainers[0]).RunAsNonRoot = false),
        ["runAsUser pass: non-zero"] = (PodSecurityLevel.Restricted, true, p => (PodSc(p).RunAsUser, Sc(p.Spec.Containers[0]).RunAsUser) = (1000, 1001)),
        ["runAsUser fail: pod"] = (PodSecurityLevel.Restricted, false, p => PodSc(p).RunAsUser = 0),
        ["runAsUser fail: container"] = (PodSecurityLevel.Restricted, false, p => Sc(p.Spec.Containers[0]).RunAsUser = 0),
        ["seccompProfile_restricted pass: per container"] = (PodSecurityLevel.Restricted, true, p =>
        {
            PodSc(p).SeccompProfile = null;
            Sc(p.Spec.Containers[0]).SeccompProfile = new V1SeccompProfile { Type = "Localhost", LocalhostProfile = "p" };
            Sc(p.Spec.InitContainers[0]).SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" };
        }),
        ["seccompProfile_restricted fail: unset"] = (PodSecurityLevel.Restricted, false, p => PodSc(p).SeccompProfile = null),
        ["seccompProfile_restricted fail: unset on one container"] = (PodSecurityLevel.Restricted, false, p =>
        {
            PodSc(p).SeccompProfile = null;
            Sc(p.Spec.Containers[0]).SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" };
        }),
    };

    public static TheoryData<string> Names { get; } = [.. Fixtures.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Fixture_PassesOrFailsItsLevel(string name)
    {
        var (level, passes, change) = Fixtures[name];
        var levels = passes ? [level] : new[] { PodSecurityLevel.Baseline, PodSecurityLevel.Restricted }.Where(l => l >= level).ToArray();
        foreach (var evaluated in levels)
        {
            var pod = Pods.With(evaluated == PodSecurityLevel.Restricted ? Pods.Restricted : Pods.Baseline, change);
            var result = PodSecurityEvaluator.Default.Evaluate(new LevelVersion(evaluated, PolicyVersion.Latest), pod.Metadata, pod.Spec);
            Assert.True(passes == result.Allowed, $"{name} at {evaluated}: {result.ForbiddenDetail()}");
            Assert.True(PodSecurityEvaluator.Default.Evaluate(LevelVersion.PrivilegedLatest, pod.Metadata, pod.Spec).Allowed);
        }
    }

    private static V1SecurityContext Sc(V1Container c) => c.SecurityContext ??= new V1SecurityContext();

    private static V1PodSecurityContext PodSc(V1Pod p) => p.Spec.SecurityContext ??= new V1PodSecurityContext();
}
