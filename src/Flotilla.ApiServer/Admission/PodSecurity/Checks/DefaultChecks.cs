namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>Every check of the Pod Security Standards as kube-apiserver v1.32 enforces them; a check is added here or nowhere.</summary>
public static class DefaultChecks
{
    public static IReadOnlyList<Check> All { get; } =
    [
        AppArmorProfileCheck.Definition,
        CapabilitiesBaselineCheck.Definition,
        HostNamespacesCheck.Definition,
        HostPathVolumesCheck.Definition,
        HostPortsCheck.Definition,
        PrivilegedCheck.Definition,
        ProcMountCheck.Definition,
        SeLinuxOptionsCheck.Definition,
        SeccompProfileBaselineCheck.Definition,
        SysctlsCheck.Definition,
        WindowsHostProcessCheck.Definition,
        AllowPrivilegeEscalationCheck.Definition,
        CapabilitiesRestrictedCheck.Definition,
        RestrictedVolumesCheck.Definition,
        RunAsNonRootCheck.Definition,
        RunAsUserCheck.Definition,
        SeccompProfileRestrictedCheck.Definition,
    ];
}
