namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// The PodSecurity plugin's configuration (upstream's PodSecurityConfiguration): the policy of a namespace without
/// labels, and who is never checked. Upstream's defaults: everything privileged, no exemptions (kube-system included).
/// </summary>
public sealed record PodSecurityConfiguration
{
    public static PodSecurityConfiguration Default { get; } = new();

    public NamespacePolicy Defaults { get; init; } = NamespacePolicy.Privileged;

    /// <summary>Requests by these authenticated user names are not checked.</summary>
    public IReadOnlyList<string> ExemptUsernames { get; init; } = [];

    /// <summary>Pods using these runtime classes are not checked.</summary>
    public IReadOnlyList<string> ExemptRuntimeClasses { get; init; } = [];

    /// <summary>Pods and workloads in these namespaces are not checked.</summary>
    public IReadOnlyList<string> ExemptNamespaces { get; init; } = [];
}
